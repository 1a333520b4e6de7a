// The `libos` Python module: the one boundary the runtime crosses to reach
// hardware. Thin: it checks arguments and calls libos; the contract is
// API.md's `libos` table and the headers in libos/.
#include <string.h>

#include "py/gc.h"
#include "py/mphal.h"
#include "py/objexcept.h"
#include "py/runtime.h"
#include "board.h"
#include "firmware/repl_hook.h"
#include "firmware/slice.h"
#include "libos/budget.h"
#include "libos/clock.h"
#include "libos/event.h"
#include "libos/hw.h"
#include "libos/limits.h"
#include "libos/mem.h"
#include "libos/reset.h"
#include "libos/stream.h"
#include "libos/uart.h"
#include "libos/wdt.h"

#if defined(__arm__)
#define TARGET_KIND "device"
#else
#define TARGET_KIND "posix"
#endif

// ---- SliceExpired: raised inside the running code when a budget runs out ----

static volatile bool budget_ran_out;  // since the budget was last armed

static void budget_expiry_hook(void) {
    budget_ran_out = true;
    slice_raise();
}

// ---- argument checks ----

static uint32_t arg_uint(mp_obj_t arg, const char *what, uint32_t max) {
    mp_int_t value = mp_obj_get_int(arg);
    if (value < 0 || (mp_uint_t)value > max) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("%s must be between 0 and %u, not %d"), what, (unsigned)max, (int)value);
    }
    return (uint32_t)value;
}

static unsigned arg_source(mp_obj_t name) {
    const char *str = mp_obj_str_get_str(name);
    int source = event_source_find(str);
    if (source < 0) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("no event source %s on %s"), str, BOARD_NAME);
    }
    return (unsigned)source;
}

// ---- board, clock ----

static mp_obj_t libos_board(void) {
    void *start, *end;
    mem_heap(&start, &end);
    mp_obj_t dict = mp_obj_new_dict(5);
    mp_obj_dict_store(dict, MP_OBJ_NEW_QSTR(MP_QSTR_name), MP_OBJ_NEW_QSTR(qstr_from_str(BOARD_NAME)));
    mp_obj_dict_store(dict, MP_OBJ_NEW_QSTR(MP_QSTR_cpu), MP_OBJ_NEW_QSTR(qstr_from_str(BOARD_CPU)));
    mp_obj_dict_store(dict, MP_OBJ_NEW_QSTR(MP_QSTR_clock_hz), mp_obj_new_int_from_uint(hw_cpu_hz));
    mp_obj_dict_store(dict, MP_OBJ_NEW_QSTR(MP_QSTR_heap_bytes), mp_obj_new_int_from_uint((char *)end - (char *)start));
    mp_obj_dict_store(dict, MP_OBJ_NEW_QSTR(MP_QSTR_target), MP_OBJ_NEW_QSTR(qstr_from_str(TARGET_KIND)));
    return dict;
}
static MP_DEFINE_CONST_FUN_OBJ_0(libos_board_obj, libos_board);

static mp_obj_t libos_ticks_us(void) {
    return MP_OBJ_NEW_SMALL_INT(ticks_us());
}
static MP_DEFINE_CONST_FUN_OBJ_0(libos_ticks_us_obj, libos_ticks_us);

static mp_obj_t libos_ticks_ms(void) {
    return MP_OBJ_NEW_SMALL_INT(ticks_ms());
}
static MP_DEFINE_CONST_FUN_OBJ_0(libos_ticks_ms_obj, libos_ticks_ms);

static mp_obj_t libos_ticks_add(mp_obj_t ticks, mp_obj_t delta) {
    return MP_OBJ_NEW_SMALL_INT(ticks_add((uint32_t)mp_obj_get_int(ticks), (int32_t)mp_obj_get_int(delta)));
}
static MP_DEFINE_CONST_FUN_OBJ_2(libos_ticks_add_obj, libos_ticks_add);

static mp_obj_t libos_ticks_diff(mp_obj_t end, mp_obj_t start) {
    return MP_OBJ_NEW_SMALL_INT(ticks_diff((uint32_t)mp_obj_get_int(end), (uint32_t)mp_obj_get_int(start)));
}
static MP_DEFINE_CONST_FUN_OBJ_2(libos_ticks_diff_obj, libos_ticks_diff);

static mp_obj_t libos_alarm(mp_obj_t t) {
    if (t == mp_const_none) {
        alarm_cancel();
    } else {
        alarm_set(arg_uint(t, "alarm tick", LIBOS_TICKS_PERIOD - 1));
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(libos_alarm_obj, libos_alarm);

static mp_obj_t libos_idle(mp_obj_t timeout) {
    uint32_t us = timeout == mp_const_none ? UINT32_MAX : arg_uint(timeout, "idle timeout", UINT32_MAX);
    idle(us, false);
    // A Ctrl-C that woke us is raised now, not at some later check.
    mp_handle_pending(MP_HANDLE_PENDING_CALLBACKS_AND_EXCEPTIONS);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(libos_idle_obj, libos_idle);

static mp_obj_t libos_idle_us(void) {
    return MP_OBJ_NEW_SMALL_INT(idle_ticks_us());
}
static MP_DEFINE_CONST_FUN_OBJ_0(libos_idle_us_obj, libos_idle_us);

// ---- events ----

static mp_obj_t libos_events(void) {
#ifdef BOARD_STREAMS
    stream_look();
#endif
    // The scheduler asks between every two slices: when nothing happened,
    // answer without allocating.
    if (!event_pending()) {
        return mp_const_empty_tuple;
    }
    event_t taken[LIBOS_EVENT_RING];
    size_t count = 0;
    while (count < LIBOS_EVENT_RING && event_take(&taken[count])) {
        count++;
    }
    mp_obj_tuple_t *events = MP_OBJ_TO_PTR(mp_obj_new_tuple(count, NULL));
    for (size_t i = 0; i < count; i++) {
        mp_obj_t pair[2] = {
            MP_OBJ_NEW_QSTR(qstr_from_str(event_source_name(taken[i].source))),
            mp_obj_new_int_from_uint(taken[i].value),
        };
        events->items[i] = mp_obj_new_tuple(2, pair);
    }
    return MP_OBJ_FROM_PTR(events);
}
static MP_DEFINE_CONST_FUN_OBJ_0(libos_events_obj, libos_events);

static mp_obj_t libos_dropped(void) {
    return mp_obj_new_int_from_uint(event_dropped());
}
static MP_DEFINE_CONST_FUN_OBJ_0(libos_dropped_obj, libos_dropped);

static mp_obj_t libos_sources(void) {
    unsigned count = event_source_count();
    mp_obj_t names[count];
    for (unsigned i = 0; i < count; i++) {
        names[i] = MP_OBJ_NEW_QSTR(qstr_from_str(event_source_name(i)));
    }
    return mp_obj_new_tuple(count, names);
}
static MP_DEFINE_CONST_FUN_OBJ_0(libos_sources_obj, libos_sources);

static mp_obj_t libos_claim(mp_obj_t name) {
    event_claim(arg_source(name));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(libos_claim_obj, libos_claim);

static mp_obj_t libos_release(mp_obj_t name) {
    event_release(arg_source(name));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(libos_release_obj, libos_release);

static mp_obj_t libos_timer(mp_obj_t n_in, mp_obj_t period_in) {
    unsigned n = arg_uint(n_in, "timer", hw_user_timer_count() - 1);
    user_timer_set(n, arg_uint(period_in, "timer period (us)", hw_deadline_max_us()));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(libos_timer_obj, libos_timer);

// ---- UARTs ----

typedef struct {
    mp_obj_base_t base;
    unsigned n;
} libos_uart_obj_t;

static void uart_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    (void)kind;
    libos_uart_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_printf(print, "<uart %u>", self->n);
}

static mp_obj_t uart_obj_write(mp_obj_t self_in, mp_obj_t data) {
    libos_uart_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_buffer_info_t buf;
    mp_get_buffer_raise(data, &buf, MP_BUFFER_READ);
    return MP_OBJ_NEW_SMALL_INT(uart_write(self->n, buf.buf, buf.len));
}
static MP_DEFINE_CONST_FUN_OBJ_2(uart_obj_write_obj, uart_obj_write);

static mp_obj_t uart_obj_read(mp_obj_t self_in, mp_obj_t count_in) {
    libos_uart_obj_t *self = MP_OBJ_TO_PTR(self_in);
    size_t want = arg_uint(count_in, "read count", LIBOS_UART_RX_RING);
    size_t avail = uart_any(self->n);
    vstr_t vstr;
    vstr_init_len(&vstr, want < avail ? want : avail);
    vstr.len = uart_read(self->n, (uint8_t *)vstr.buf, vstr.len);
    return mp_obj_new_bytes_from_vstr(&vstr);
}
static MP_DEFINE_CONST_FUN_OBJ_2(uart_obj_read_obj, uart_obj_read);

static mp_obj_t uart_obj_any(mp_obj_t self_in) {
    libos_uart_obj_t *self = MP_OBJ_TO_PTR(self_in);
    return MP_OBJ_NEW_SMALL_INT(uart_any(self->n));
}
static MP_DEFINE_CONST_FUN_OBJ_1(uart_obj_any_obj, uart_obj_any);

static mp_obj_t uart_obj_overruns(mp_obj_t self_in) {
    libos_uart_obj_t *self = MP_OBJ_TO_PTR(self_in);
    return mp_obj_new_int_from_uint(uart_overruns(self->n));
}
static MP_DEFINE_CONST_FUN_OBJ_1(uart_obj_overruns_obj, uart_obj_overruns);

static const mp_rom_map_elem_t uart_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_write), MP_ROM_PTR(&uart_obj_write_obj) },
    { MP_ROM_QSTR(MP_QSTR_read), MP_ROM_PTR(&uart_obj_read_obj) },
    { MP_ROM_QSTR(MP_QSTR_any), MP_ROM_PTR(&uart_obj_any_obj) },
    { MP_ROM_QSTR(MP_QSTR_overruns), MP_ROM_PTR(&uart_obj_overruns_obj) },
};
static MP_DEFINE_CONST_DICT(uart_locals, uart_locals_table);

MP_DEFINE_CONST_OBJ_TYPE(
    libos_type_uart,
    MP_QSTR_UART,
    MP_TYPE_FLAG_NONE,
    print, uart_print,
    locals_dict, &uart_locals
    );

static mp_obj_t libos_uart(mp_obj_t n_in) {
    mp_int_t n = mp_obj_get_int(n_in);
    if (n < 1 || n > (mp_int_t)uart_count()) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("%s has no uart(%d); it has uart(1) to uart(%u)"),
            BOARD_NAME, (int)n, uart_count());
    }
    libos_uart_obj_t *self = mp_obj_malloc(libos_uart_obj_t, &libos_type_uart);
    self->n = (unsigned)n;
    return MP_OBJ_FROM_PTR(self);
}
static MP_DEFINE_CONST_FUN_OBJ_1(libos_uart_obj, libos_uart);

#ifdef BOARD_STREAMS
// ---- streams: TCP over the host's sockets (hosts only) ----

static const qstr stream_state_names[] = {
    [STREAM_LISTENING] = MP_QSTR_listening,
    [STREAM_CONNECTING] = MP_QSTR_connecting,
    [STREAM_OPEN] = MP_QSTR_open,
    [STREAM_CLOSED] = MP_QSTR_closed,
};

static unsigned arg_stream(mp_obj_t id_in) {
    mp_int_t id = mp_obj_get_int(id_in);
    if (id < 0 || id >= BOARD_STREAMS || stream_state((unsigned)id) == STREAM_FREE) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("no stream %d: it was never opened, or it was closed"), (int)id);
    }
    return (unsigned)id;
}

// Reading and writing need a stream that carries bytes.
static unsigned arg_byte_stream(mp_obj_t id_in, const char *call) {
    unsigned id = arg_stream(id_in);
    if (stream_state(id) == STREAM_LISTENING) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("%s: stream %u is listening: accept its connections and use those"), call, id);
    }
    return id;
}

static uint16_t arg_port(mp_obj_t port_in, mp_int_t lowest) {
    mp_int_t port = mp_obj_get_int(port_in);
    if (port < lowest || port > 65535) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("port must be between %d and 65535, not %d"), (int)lowest, (int)port);
    }
    return (uint16_t)port;
}

static uint32_t arg_host(mp_obj_t host_in) {
    if (!mp_obj_is_str(host_in)) {
        mp_raise_msg_varg(&mp_type_TypeError,
            MP_ERROR_TEXT("host must be a str such as '127.0.0.1', not %s"), mp_obj_get_type_str(host_in));
    }
    size_t len;
    const char *host = mp_obj_str_get_data(host_in, &len);
    uint32_t address;
    if (strlen(host) != len || !stream_address(host, &address)) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("host must be an IPv4 address such as 127.0.0.1 (or localhost), not '%s'"), host);
    }
    return address;
}

// A new stream's id, or the reason there is none: the table is full, or the
// host refused (OSError(errno, text), as CPython's sockets raise).
static mp_obj_t new_stream(int result, const char *call) {
    if (result == STREAM_TABLE_FULL) {
        mp_raise_msg_varg(&mp_type_OSError,
            MP_ERROR_TEXT("%s: the stream table is full (%d streams open)"), call, BOARD_STREAMS);
    }
    if (result < 0) {
        vstr_t text;
        vstr_init(&text, 64);
        vstr_printf(&text, "%s: %s", call, strerror(-result));
        mp_obj_t args[2] = {MP_OBJ_NEW_SMALL_INT(-result), mp_obj_new_str_from_vstr(&text)};
        nlr_raise(mp_obj_new_exception_args(&mp_type_OSError, 2, args));
    }
    return MP_OBJ_NEW_SMALL_INT(result);
}

static mp_obj_t libos_stream_listen(size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    enum { ARG_port, ARG_host };
    static const mp_arg_t allowed[] = {
        { MP_QSTR_port, MP_ARG_REQUIRED | MP_ARG_OBJ, {.u_obj = MP_OBJ_NULL} },
        { MP_QSTR_host, MP_ARG_OBJ, {.u_obj = MP_OBJ_NULL} },
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed)];
    mp_arg_parse_all(n_args, pos_args, kw_args, MP_ARRAY_SIZE(allowed), allowed, args);
    uint16_t port = arg_port(args[ARG_port].u_obj, 0);
    uint32_t address = 0;
    if (args[ARG_host].u_obj == MP_OBJ_NULL) {
        stream_address("127.0.0.1", &address);
    } else {
        address = arg_host(args[ARG_host].u_obj);
    }
    return new_stream(stream_listen(address, port), "stream_listen");
}
static MP_DEFINE_CONST_FUN_OBJ_KW(libos_stream_listen_obj, 1, libos_stream_listen);

static mp_obj_t libos_stream_connect(mp_obj_t host, mp_obj_t port) {
    uint32_t address = arg_host(host);
    return new_stream(stream_connect(address, arg_port(port, 1)), "stream_connect");
}
static MP_DEFINE_CONST_FUN_OBJ_2(libos_stream_connect_obj, libos_stream_connect);

static mp_obj_t libos_stream_accept(mp_obj_t id_in) {
    unsigned id = arg_stream(id_in);
    if (stream_state(id) != STREAM_LISTENING) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("stream_accept: stream %u is %q, not listening"), id, stream_state_names[stream_state(id)]);
    }
    int accepted = stream_accept(id);
    return accepted == STREAM_NONE ? mp_const_none : new_stream(accepted, "stream_accept");
}
static MP_DEFINE_CONST_FUN_OBJ_1(libos_stream_accept_obj, libos_stream_accept);

static mp_obj_t libos_stream_read(mp_obj_t id_in, mp_obj_t max_in) {
    unsigned id = arg_byte_stream(id_in, "stream_read");
    mp_int_t max = mp_obj_get_int(max_in);
    if (max <= 0) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("max_bytes must be positive, not %d"), (int)max);
    }
    // A few bytes, or none (a poll that finds nothing must not allocate),
    // are read on the stack; more into a block as large as what is waiting,
    // not as max_bytes.
    uint8_t few[256];
    size_t waiting = stream_waiting(id);
    if (waiting <= sizeof(few)) {
        int got = stream_read(id, few, (size_t)max < sizeof(few) ? (size_t)max : sizeof(few));
        return got == STREAM_ENDED ? mp_const_none
            : got == 0 ? mp_const_empty_bytes : mp_obj_new_bytes(few, (size_t)got);
    }
    vstr_t vstr;
    vstr_init_len(&vstr, waiting < (size_t)max ? waiting : (size_t)max);
    int got = stream_read(id, (uint8_t *)vstr.buf, vstr.len);
    if (got == STREAM_ENDED) {
        vstr_clear(&vstr);
        return mp_const_none;
    }
    vstr.len = (size_t)got;
    return mp_obj_new_bytes_from_vstr(&vstr);
}
static MP_DEFINE_CONST_FUN_OBJ_2(libos_stream_read_obj, libos_stream_read);

static mp_obj_t libos_stream_write(mp_obj_t id_in, mp_obj_t data) {
    unsigned id = arg_byte_stream(id_in, "stream_write");
    if (mp_obj_is_str(data)) {
        mp_raise_TypeError(MP_ERROR_TEXT("stream_write needs bytes, not str: encode it"));
    }
    mp_buffer_info_t buf;
    mp_get_buffer_raise(data, &buf, MP_BUFFER_READ);
    return mp_obj_new_int_from_uint(stream_write(id, buf.buf, buf.len));
}
static MP_DEFINE_CONST_FUN_OBJ_2(libos_stream_write_obj, libos_stream_write);

static mp_obj_t libos_stream_status(mp_obj_t id_in) {
    return MP_OBJ_NEW_QSTR(stream_state_names[stream_state(arg_stream(id_in))]);
}
static MP_DEFINE_CONST_FUN_OBJ_1(libos_stream_status_obj, libos_stream_status);

static mp_obj_t libos_stream_port(mp_obj_t id_in) {
    return MP_OBJ_NEW_SMALL_INT(stream_port(arg_stream(id_in)));
}
static MP_DEFINE_CONST_FUN_OBJ_1(libos_stream_port_obj, libos_stream_port);

static mp_obj_t libos_stream_close(mp_obj_t id_in) {
    stream_close(arg_stream(id_in));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(libos_stream_close_obj, libos_stream_close);
#endif

// ---- memory ----

static mp_obj_t libos_mem(void) {
    gc_info_t info;
    gc_info(&info);
    mp_obj_t dict = mp_obj_new_dict(6);
    mp_obj_dict_store(dict, MP_OBJ_NEW_QSTR(MP_QSTR_heap_total), mp_obj_new_int_from_uint(info.total));
    mp_obj_dict_store(dict, MP_OBJ_NEW_QSTR(MP_QSTR_heap_used), mp_obj_new_int_from_uint(info.used));
    mp_obj_dict_store(dict, MP_OBJ_NEW_QSTR(MP_QSTR_heap_free), mp_obj_new_int_from_uint(info.free));
    mp_obj_dict_store(dict, MP_OBJ_NEW_QSTR(MP_QSTR_largest_free), mp_obj_new_int_from_uint(info.max_free * MICROPY_BYTES_PER_GC_BLOCK));
    mp_obj_dict_store(dict, MP_OBJ_NEW_QSTR(MP_QSTR_stack_peak), mp_obj_new_int_from_uint(mem_stack_peak()));
    mp_obj_dict_store(dict, MP_OBJ_NEW_QSTR(MP_QSTR_stack_size), mp_obj_new_int_from_uint(mem_stack_size()));
    return dict;
}
static MP_DEFINE_CONST_FUN_OBJ_0(libos_mem_obj, libos_mem);

// ---- slice budget ----

static mp_obj_t libos_budget(mp_obj_t us_in) {
    uint32_t us = arg_uint(us_in, "budget (us)", hw_budget_max_us());
    if (us > 0) {
        budget_ran_out = false;
        budget_arm(us, budget_expiry_hook);
        return mp_const_none;
    }
    budget_disarm();
    // An expiry that has not been raised yet belongs to the slice that just
    // ended in time: drop it, so it cannot hit the code that disarmed. No new
    // one can come once disarmed.
    slice_drop_pending();
    bool ran_out = budget_ran_out;
    budget_ran_out = false;
    return mp_obj_new_bool(ran_out);
}
static MP_DEFINE_CONST_FUN_OBJ_1(libos_budget_obj, libos_budget);

// ---- raw memory: registers from Python, and a way to provoke a fault ----

static mp_obj_t libos_read32(mp_obj_t address) {
    return mp_obj_new_int_from_uint(*(volatile uint32_t *)mp_obj_get_int_truncated(address));
}
static MP_DEFINE_CONST_FUN_OBJ_1(libos_read32_obj, libos_read32);

static mp_obj_t libos_write32(mp_obj_t address, mp_obj_t value) {
    *(volatile uint32_t *)mp_obj_get_int_truncated(address) = (uint32_t)mp_obj_get_int_truncated(value);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(libos_write32_obj, libos_write32);

// ---- the REPL, for a live system under the prompt ----

static mp_obj_t libos_repl_hook(mp_obj_t hook) {
    if (hook != mp_const_none && !mp_obj_is_callable(hook)) {
        mp_raise_msg_varg(&mp_type_TypeError, MP_ERROR_TEXT("repl_hook needs a function or None, not %s"),
            mp_obj_get_type_str(hook));
    }
    repl_hook_set(hook == mp_const_none ? MP_OBJ_NULL : hook);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(libos_repl_hook_obj, libos_repl_hook);

// ---- watchdog and reset ----

static mp_obj_t libos_wdt_start(mp_obj_t ms) {
    wdt_start(arg_uint(ms, "watchdog timeout (ms)", wdt_max_ms()));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(libos_wdt_start_obj, libos_wdt_start);

static mp_obj_t libos_wdt_feed(void) {
    wdt_feed();
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_0(libos_wdt_feed_obj, libos_wdt_feed);

static mp_obj_t libos_reset(mp_obj_t reason_in) {
    size_t len;
    const char *reason = mp_obj_str_get_data(reason_in, &len);
    if (len > LIBOS_RESET_REASON_MAX) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("reset reason is %u bytes; at most %u fit the record"),
            (unsigned)len, (unsigned)LIBOS_RESET_REASON_MAX);
    }
    reset_board(RESET_SOFTWARE, reason, len);
}
static MP_DEFINE_CONST_FUN_OBJ_1(libos_reset_obj, libos_reset);

static mp_obj_t libos_reset_cause(void) {
    const char *reason;
    reset_cause_t cause = reset_cause(&reason);
    mp_obj_t pair[2] = {
        MP_OBJ_NEW_QSTR(qstr_from_str(reset_cause_name(cause))),
        reason ? mp_obj_new_str(reason, strlen(reason)) : mp_const_none,
    };
    return mp_obj_new_tuple(2, pair);
}
static MP_DEFINE_CONST_FUN_OBJ_0(libos_reset_cause_obj, libos_reset_cause);

static const mp_rom_map_elem_t libos_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_libos) },
    { MP_ROM_QSTR(MP_QSTR_board), MP_ROM_PTR(&libos_board_obj) },
    { MP_ROM_QSTR(MP_QSTR_ticks_us), MP_ROM_PTR(&libos_ticks_us_obj) },
    { MP_ROM_QSTR(MP_QSTR_ticks_ms), MP_ROM_PTR(&libos_ticks_ms_obj) },
    { MP_ROM_QSTR(MP_QSTR_ticks_add), MP_ROM_PTR(&libos_ticks_add_obj) },
    { MP_ROM_QSTR(MP_QSTR_ticks_diff), MP_ROM_PTR(&libos_ticks_diff_obj) },
    { MP_ROM_QSTR(MP_QSTR_alarm), MP_ROM_PTR(&libos_alarm_obj) },
    { MP_ROM_QSTR(MP_QSTR_idle), MP_ROM_PTR(&libos_idle_obj) },
    { MP_ROM_QSTR(MP_QSTR_idle_us), MP_ROM_PTR(&libos_idle_us_obj) },
    { MP_ROM_QSTR(MP_QSTR_events), MP_ROM_PTR(&libos_events_obj) },
    { MP_ROM_QSTR(MP_QSTR_dropped), MP_ROM_PTR(&libos_dropped_obj) },
    { MP_ROM_QSTR(MP_QSTR_sources), MP_ROM_PTR(&libos_sources_obj) },
    { MP_ROM_QSTR(MP_QSTR_claim), MP_ROM_PTR(&libos_claim_obj) },
    { MP_ROM_QSTR(MP_QSTR_release), MP_ROM_PTR(&libos_release_obj) },
    { MP_ROM_QSTR(MP_QSTR_timer), MP_ROM_PTR(&libos_timer_obj) },
    { MP_ROM_QSTR(MP_QSTR_uart), MP_ROM_PTR(&libos_uart_obj) },
    #ifdef BOARD_STREAMS
    { MP_ROM_QSTR(MP_QSTR_stream_listen), MP_ROM_PTR(&libos_stream_listen_obj) },
    { MP_ROM_QSTR(MP_QSTR_stream_connect), MP_ROM_PTR(&libos_stream_connect_obj) },
    { MP_ROM_QSTR(MP_QSTR_stream_accept), MP_ROM_PTR(&libos_stream_accept_obj) },
    { MP_ROM_QSTR(MP_QSTR_stream_read), MP_ROM_PTR(&libos_stream_read_obj) },
    { MP_ROM_QSTR(MP_QSTR_stream_write), MP_ROM_PTR(&libos_stream_write_obj) },
    { MP_ROM_QSTR(MP_QSTR_stream_status), MP_ROM_PTR(&libos_stream_status_obj) },
    { MP_ROM_QSTR(MP_QSTR_stream_port), MP_ROM_PTR(&libos_stream_port_obj) },
    { MP_ROM_QSTR(MP_QSTR_stream_close), MP_ROM_PTR(&libos_stream_close_obj) },
    #endif
    { MP_ROM_QSTR(MP_QSTR_mem), MP_ROM_PTR(&libos_mem_obj) },
    { MP_ROM_QSTR(MP_QSTR_budget), MP_ROM_PTR(&libos_budget_obj) },
    { MP_ROM_QSTR(MP_QSTR_SliceExpired), MP_ROM_PTR(&libos_type_SliceExpired) },
    { MP_ROM_QSTR(MP_QSTR_read32), MP_ROM_PTR(&libos_read32_obj) },
    { MP_ROM_QSTR(MP_QSTR_write32), MP_ROM_PTR(&libos_write32_obj) },
    { MP_ROM_QSTR(MP_QSTR_repl_hook), MP_ROM_PTR(&libos_repl_hook_obj) },
    { MP_ROM_QSTR(MP_QSTR_wdt_start), MP_ROM_PTR(&libos_wdt_start_obj) },
    { MP_ROM_QSTR(MP_QSTR_wdt_feed), MP_ROM_PTR(&libos_wdt_feed_obj) },
    { MP_ROM_QSTR(MP_QSTR_reset), MP_ROM_PTR(&libos_reset_obj) },
    { MP_ROM_QSTR(MP_QSTR_reset_cause), MP_ROM_PTR(&libos_reset_cause_obj) },
};
static MP_DEFINE_CONST_DICT(libos_globals, libos_globals_table);

const mp_obj_module_t libos_module = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&libos_globals,
};

MP_REGISTER_MODULE(MP_QSTR_libos, libos_module);
