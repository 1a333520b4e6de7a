// The console side of MicroPython's HAL: stdin, stdout and Ctrl-C.
#include <string.h>

#include "py/mphal.h"
#include "py/runtime.h"
#include "py/stream.h"
#include "board.h"
#include "shared/readline/readline.h"
#include "shared/runtime/pyexec.h"
#include "firmware/repl_hook.h"
#include "firmware/slice.h"
#include "libos/clock.h"
#include "libos/console.h"
#include "libos/wdt.h"

void mp_hal_set_interrupt_char(int c) {
    console_set_interrupt(c, c < 0 ? NULL : slice_keyboard_interrupt);
}

MP_REGISTER_ROOT_POINTER(mp_obj_t repl_hook);

void repl_hook_set(mp_obj_t hook) {
    MP_STATE_PORT(repl_hook) = hook;
}

// Runs the REPL hook once; returns how long the REPL may sleep before the
// next call (us). A hook that raises is removed, and what it raised
// printed: it must never take the REPL down with it.
static uint32_t run_repl_hook(mp_obj_t hook) {
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        mp_obj_t wait = mp_call_function_0(hook);
        nlr_pop();
        if (wait == mp_const_none) {
            return UINT32_MAX;
        }
        mp_int_t us = mp_obj_get_int(wait);
        return us < 0 ? 0 : (mp_uint_t)us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
    }
    MP_STATE_PORT(repl_hook) = MP_OBJ_NULL;
    mp_printf(&mp_plat_print, "REPL hook removed; it raised:\n");
    mp_obj_print_exception(&mp_plat_print, MP_OBJ_FROM_PTR(nlr.ret_val));
    return 0;
}

// While the friendly REPL waits for a key, the hook (the runtime's
// scheduler) runs, so a live system keeps going under the prompt. Not in the
// raw REPL: its framing must not be interleaved with other output.
int mp_hal_stdin_rx_chr(void) {
    for (;;) {
        int c = console_read();
        if (c >= 0) {
            return c;
        }
        if (console_closed()) {
            return CHAR_CTRL_D;
        }
        mp_handle_pending(MP_HANDLE_PENDING_CALLBACKS_AND_EXCEPTIONS);
        uint32_t wait = UINT32_MAX;
        mp_obj_t hook = MP_STATE_PORT(repl_hook);
        if (hook != MP_OBJ_NULL && pyexec_mode_kind == PYEXEC_MODE_FRIENDLY_REPL) {
            wait = run_repl_hook(hook);
        } else if (wdt_timeout_ms() > 0) {
            // A tool holds the board in the raw REPL, where the system does
            // not run and so cannot feed the watchdog: the REPL does, as
            // long as it is waiting for that tool.
            wdt_feed();
            wait = wdt_timeout_ms() * 1000u / 4;
        }
        if (wait > 0 && console_any() == 0) {
            idle(wait, true);
        }
    }
}

uintptr_t mp_hal_stdio_poll(uintptr_t poll_flags) {
    uintptr_t ready = poll_flags & MP_STREAM_POLL_WR;
    if ((poll_flags & MP_STREAM_POLL_RD) && console_any() > 0) {
        ready |= MP_STREAM_POLL_RD;
    }
    return ready;
}

mp_uint_t mp_hal_stdout_tx_strn(const char *str, size_t len) {
    console_write(str, len);
    return len;
}

void mp_hal_stdout_tx_str(const char *str) {
    console_write(str, strlen(str));
}

// A terminal wants "\r\n"; a posix console leaves that to the host's tty.
void mp_hal_stdout_tx_strn_cooked(const char *str, size_t len) {
    #if BOARD_CONSOLE_CRLF
    while (len > 0) {
        const char *nl = memchr(str, '\n', len);
        size_t chunk = nl ? (size_t)(nl - str) : len;
        console_write(str, chunk);
        if (nl == NULL) {
            break;
        }
        console_write("\r\n", 2);
        str += chunk + 1;
        len -= chunk + 1;
    }
    #else
    console_write(str, len);
    #endif
}

void mp_hal_delay_ms(mp_uint_t ms) {
    mp_hal_delay_us(ms * 1000);
}

void mp_hal_delay_us(mp_uint_t us) {
    uint64_t until = clock_us() + us;
    for (uint64_t now = clock_us(); now < until; now = clock_us()) {
        mp_handle_pending(MP_HANDLE_PENDING_CALLBACKS_AND_EXCEPTIONS);
        idle((uint32_t)(until - now), false);
    }
}
