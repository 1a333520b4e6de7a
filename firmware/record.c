// Process(pid, coro, fn, priority): a process's record with its mailbox
// operations, in fixed fields (runtime/process.py has the contract, and the
// Python twin that CPython runs). Only storage and mechanism live here;
// every decision stays in the runtime's Python.
//
// Why in C: a Python instance keeps its fields in a hash table that grows
// as they are set, 64 bytes for an idle process on a 32-bit board, and each
// field read is a map lookup. Here the fields an idle process uses take 48
// bytes; the fields few processes set (links, monitors, a name...) share
// one block allocated when the first of them is set to something other
// than its default, so storing a default never allocates (the exit path
// relies on that: it only clears fields, even when the heap is full).
//
// A receive pattern is matched here too (first_match), the kinds of
// runtime/patterns.py, so that a selective receive scans its mailbox
// without a Python call per message (except for predicates, which are
// Python functions).
//
// configure_records(statuses, start, rescan, novalue) must be called before
// the first record is made: the six status objects in the order of
// STATUS_*, the START, RESCAN and NOVALUE markers (runtime/process.py);
// configure_patterns(any, shared) before the first match: ANY and
// isolation's SHARED types (runtime/patterns.py).
#include <string.h>

#include "py/obj.h"
#include "py/objlist.h"
#include "py/objtuple.h"
#include "py/runtime.h"
#include "firmware/record.h"

// The rare fields, in the order of record_rare_t's; their defaults:
// patterns (), max_queue the default limit (MP_OBJ_NULL here), the others None.
static const qstr rare_names[RARE_COUNT] = {
    MP_QSTR_patterns, MP_QSTR_inbound, MP_QSTR_links, MP_QSTR_watchers, MP_QSTR_monitoring,
    MP_QSTR_claims, MP_QSTR_name, MP_QSTR_max_queue,
};

#define COMPACT_AT (32)  // slots cleared at the head of a mailbox before it is compacted

// (statuses..., START, RESCAN, NOVALUE) as configure_records got them.
MP_REGISTER_ROOT_POINTER(mp_obj_t record_terms);
// The default mailbox limit (limits.py), for records without their own.
MP_REGISTER_ROOT_POINTER(mp_obj_t record_max_queue);
// (ANY, (SHARED types...)) as configure_patterns got them.
MP_REGISTER_ROOT_POINTER(mp_obj_t pattern_terms);

mp_obj_t record_term(size_t i) {
    return ((mp_obj_tuple_t *)MP_OBJ_TO_PTR(MP_STATE_VM(record_terms)))->items[i];
}

static mp_obj_t configure_records(size_t n_args, const mp_obj_t *args) {
    mp_obj_t statuses_in = args[0];
    size_t n;
    mp_obj_t *statuses;
    mp_obj_get_array(statuses_in, &n, &statuses);
    if (n != STATUS_COUNT) {
        mp_raise_ValueError(MP_ERROR_TEXT("configure_records needs the six statuses"));
    }
    mp_obj_t terms[TERM_COUNT];
    memcpy(terms, statuses, sizeof(mp_obj_t) * STATUS_COUNT);
    terms[TERM_START] = args[1];
    terms[TERM_RESCAN] = args[2];
    terms[TERM_NOVALUE] = args[3];
    MP_STATE_VM(record_terms) = mp_obj_new_tuple(TERM_COUNT, terms);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(record_configure_obj, 4, 4, configure_records);

static mp_obj_t configure_patterns(mp_obj_t any, mp_obj_t shared) {
    mp_obj_t terms[2] = {any, mp_call_function_1(MP_OBJ_FROM_PTR(&mp_type_tuple), shared)};
    MP_STATE_VM(pattern_terms) = mp_obj_new_tuple(2, terms);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_2(record_configure_patterns_obj, configure_patterns);

static mp_obj_t set_default_max_queue(mp_obj_t limit) {
    MP_STATE_VM(record_max_queue) = limit;
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_1(record_set_default_max_queue_obj, set_default_max_queue);

static mp_obj_t default_max_queue(void) {
    mp_obj_t limit = MP_STATE_VM(record_max_queue);
    return limit == MP_OBJ_NULL ? mp_const_none : limit;  // None until limits.py sets it
}
MP_DEFINE_CONST_FUN_OBJ_0(record_default_max_queue_obj, default_max_queue);

// Patterns --------------------------------------------------------------

static mp_obj_t pattern_term(size_t i) {
    return ((mp_obj_tuple_t *)MP_OBJ_TO_PTR(MP_STATE_VM(pattern_terms)))->items[i];
}

#define PATTERN_ANY (pattern_term(0))

static bool is_shared(const mp_obj_type_t *kind) {
    mp_obj_tuple_t *shared = MP_OBJ_TO_PTR(pattern_term(1));
    for (size_t i = 0; i < shared->len; i++) {
        if (MP_OBJ_FROM_PTR(kind) == shared->items[i]) {
            return true;
        }
    }
    return false;
}

static bool matches(mp_obj_t pattern, mp_obj_t message) {
    const mp_obj_type_t *kind = mp_obj_get_type(pattern);
    if (kind == &mp_type_tuple) {
        if (!mp_obj_is_subclass_fast(MP_OBJ_FROM_PTR(mp_obj_get_type(message)),
            MP_OBJ_FROM_PTR(&mp_type_tuple))) {
            return false;
        }
        size_t n, m;
        mp_obj_t *items, *values;
        mp_obj_tuple_get(pattern, &n, &items);
        mp_obj_tuple_get(message, &m, &values);
        if (n != m) {
            return false;
        }
        mp_obj_t any = PATTERN_ANY;
        for (size_t i = 0; i < n; i++) {
            if (items[i] != any && !matches(items[i], values[i])) {
                return false;
            }
        }
        return true;
    }
    if (pattern == PATTERN_ANY) {
        return true;
    }
    if (is_shared(kind)) {
        return mp_obj_get_type(message) == kind && mp_obj_equal(pattern, message);
    }
    if (kind == &mp_type_type) {
        return mp_obj_is_subclass_fast(MP_OBJ_FROM_PTR(mp_obj_get_type(message)), pattern);
    }
    if (mp_obj_is_callable(pattern)) {
        return mp_obj_is_true(mp_call_function_1(pattern, message));
    }
    return mp_obj_equal(pattern, message);
}

static bool first_match_of(size_t n, const mp_obj_t *patterns, mp_obj_t message) {
    if (MP_STATE_VM(pattern_terms) == MP_OBJ_NULL) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("patterns are not configured"));
    }
    for (size_t i = 0; i < n; i++) {
        if (matches(patterns[i], message)) {
            return true;
        }
    }
    return false;
}

static mp_obj_t first_match(mp_obj_t patterns_in, mp_obj_t message) {
    size_t n;
    mp_obj_t *patterns;
    mp_obj_get_array(patterns_in, &n, &patterns);
    return mp_obj_new_bool(first_match_of(n, patterns, message));
}
MP_DEFINE_CONST_FUN_OBJ_2(record_first_match_obj, first_match);

// The record ------------------------------------------------------------

static mp_obj_t record_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 4, 4, false);
    if (MP_STATE_VM(record_terms) == MP_OBJ_NULL) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("records are not configured"));
    }
    record_obj_t *self = mp_obj_malloc(record_obj_t, type);
    self->pid = args[0];
    self->coro = args[1];
    self->fn = args[2];
    self->result = record_term(TERM_START);
    self->mailbox = mp_const_none;
    self->timer = mp_const_none;
    self->reductions = MP_OBJ_NEW_SMALL_INT(0);
    self->rare = NULL;
    self->head = 0;
    self->scanned = 0;
    self->status = STATUS_RUNNABLE;
    self->priority = mp_obj_get_int(args[3]);
    self->trap_exit = false;
    self->reports = true;
    return MP_OBJ_FROM_PTR(self);
}

static int rare_index(qstr attr) {
    for (size_t i = 0; i < RARE_COUNT; i++) {
        if (rare_names[i] == attr) {
            return i;
        }
    }
    return -1;
}

static mp_obj_t rare_default(int i) {
    return i == RARE_PATTERNS ? mp_const_empty_tuple : i == RARE_MAX_QUEUE ? MP_OBJ_NULL : mp_const_none;
}

static record_rare_t *new_rare(void) {
    record_rare_t *rare = m_new(record_rare_t, 1);
    for (size_t i = 0; i < RARE_COUNT; i++) {
        rare->fields[i] = rare_default(i);
    }
    return rare;
}

// Rare field i of `p`, its default if unset (max_queue: the default limit).
static mp_obj_t rare_value(record_obj_t *p, int i) {
    mp_obj_t value = p->rare == NULL ? rare_default(i) : p->rare->fields[i];
    return value == MP_OBJ_NULL ? default_max_queue() : value;
}

static uint8_t status_code(mp_obj_t value) {
    for (uint8_t i = 0; i < STATUS_COUNT; i++) {
        if (record_term(i) == value) {
            return i;
        }
    }
    mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("not a process status: %q"),
        mp_obj_is_qstr(value) ? MP_OBJ_QSTR_VALUE(value) : MP_QSTR_);
}

static bool load_field(record_obj_t *self, qstr attr, mp_obj_t *value) {
    switch (attr) {
        case MP_QSTR_pid: *value = self->pid; return true;
        case MP_QSTR_coro: *value = self->coro; return true;
        case MP_QSTR_fn: *value = self->fn; return true;
        case MP_QSTR_result: *value = self->result; return true;
        case MP_QSTR_mailbox: *value = self->mailbox; return true;
        case MP_QSTR_timer: *value = self->timer; return true;
        case MP_QSTR_reductions: *value = self->reductions; return true;
        case MP_QSTR_head: *value = MP_OBJ_NEW_SMALL_INT(self->head); return true;
        case MP_QSTR_scanned: *value = MP_OBJ_NEW_SMALL_INT(self->scanned); return true;
        case MP_QSTR_status: *value = record_term(self->status); return true;
        case MP_QSTR_priority: *value = MP_OBJ_NEW_SMALL_INT(self->priority); return true;
        case MP_QSTR_trap_exit: *value = mp_obj_new_bool(self->trap_exit); return true;
        case MP_QSTR_reports: *value = mp_obj_new_bool(self->reports); return true;
    }
    int i = rare_index(attr);
    if (i < 0) {
        return false;
    }
    *value = rare_value(self, i);
    return true;
}

static bool store_field(record_obj_t *self, qstr attr, mp_obj_t value) {
    switch (attr) {
        case MP_QSTR_pid: self->pid = value; return true;
        case MP_QSTR_coro: self->coro = value; return true;
        case MP_QSTR_fn: self->fn = value; return true;
        case MP_QSTR_result: self->result = value; return true;
        case MP_QSTR_mailbox: self->mailbox = value; return true;
        case MP_QSTR_timer: self->timer = value; return true;
        case MP_QSTR_reductions: self->reductions = value; return true;
        case MP_QSTR_head: self->head = mp_obj_get_int(value); return true;
        case MP_QSTR_scanned: self->scanned = mp_obj_get_int(value); return true;
        case MP_QSTR_status: self->status = status_code(value); return true;
        case MP_QSTR_priority: self->priority = mp_obj_get_int(value); return true;
        case MP_QSTR_trap_exit: self->trap_exit = mp_obj_is_true(value); return true;
        case MP_QSTR_reports: self->reports = mp_obj_is_true(value); return true;
    }
    int i = rare_index(attr);
    if (i < 0) {
        return false;
    }
    if (self->rare == NULL) {
        if (value == rare_default(i)) {
            return true;  // a default: nothing to store, nothing allocated
        }
        self->rare = new_rare();
    }
    self->rare->fields[i] = value;
    return true;
}

static void record_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
    record_obj_t *self = MP_OBJ_TO_PTR(self_in);
    if (dest[0] == MP_OBJ_NULL) {
        if (!load_field(self, attr, &dest[0])) {
            dest[1] = MP_OBJ_SENTINEL;  // a method: look in locals_dict
        }
    } else if (dest[1] != MP_OBJ_NULL && store_field(self, attr, dest[1])) {
        dest[0] = MP_OBJ_NULL;
    }
}

// The mailbox ------------------------------------------------------------

mp_obj_list_t *mailbox_of(record_obj_t *self) {
    return MP_OBJ_TO_PTR(self->mailbox);
}

mp_obj_t record_take_oldest(mp_obj_t self_in) {
    record_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_obj_list_t *mailbox = mailbox_of(self);
    size_t head = self->head;
    mp_obj_t message = mailbox->items[head];
    head += 1;
    if (head == mailbox->len) {
        // Emptied: give back its room, as list.clear() does.
        mailbox->len = 0;
        mailbox->items = m_renew(mp_obj_t, mailbox->items, mailbox->alloc, LIST_MIN_ALLOC);
        mailbox->alloc = LIST_MIN_ALLOC;
        memset(mailbox->items, 0, LIST_MIN_ALLOC * sizeof(mp_obj_t));
        self->head = 0;
    } else {
        mailbox->items[head - 1] = mp_const_none;
        if (head >= COMPACT_AT && head * 2 >= mailbox->len) {
            // del mailbox[:head], which keeps the list's room
            size_t left = mailbox->len - head;
            memmove(mailbox->items, mailbox->items + head, left * sizeof(mp_obj_t));
            memset(mailbox->items + left, 0, head * sizeof(mp_obj_t));
            mailbox->len = left;
            head = 0;
        }
        self->head = head;
    }
    return message;
}
static MP_DEFINE_CONST_FUN_OBJ_1(record_take_oldest_obj, record_take_oldest);

mp_obj_t record_take(record_obj_t *self, mp_obj_t patterns_in, size_t start, mp_obj_t nothing) {
    if (self->mailbox == mp_const_none) {
        return nothing;
    }
    size_t n_patterns;
    mp_obj_t *patterns;
    mp_obj_get_array(patterns_in, &n_patterns, &patterns);
    size_t n = mailbox_of(self)->len;
    size_t i = start;
    if (n_patterns) {
        // A predicate may send to this process: the list is read afresh
        // each time (the messages that came meanwhile are not looked at,
        // as in the Python twin).
        while (i < n && !first_match_of(n_patterns, patterns, mailbox_of(self)->items[i])) {
            i++;
        }
    }
    if (i >= n) {
        return nothing;
    }
    if (i == self->head) {
        return record_take_oldest(MP_OBJ_FROM_PTR(self));
    }
    mp_obj_t message = mailbox_of(self)->items[i];
    mp_obj_subscr(self->mailbox, MP_OBJ_NEW_SMALL_INT(i), MP_OBJ_NULL);  // del mailbox[i]
    return message;
}

static mp_obj_t take(size_t n_args, const mp_obj_t *args) {
    return record_take(MP_OBJ_TO_PTR(args[0]), args[1], mp_obj_get_int(args[2]), args[3]);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(record_take_obj, 4, 4, take);

static mp_obj_t queue_len(mp_obj_t self_in) {
    record_obj_t *self = MP_OBJ_TO_PTR(self_in);
    if (self->mailbox == mp_const_none) {
        return MP_OBJ_NEW_SMALL_INT(0);
    }
    return MP_OBJ_NEW_SMALL_INT(mailbox_of(self)->len - self->head);
}
static MP_DEFINE_CONST_FUN_OBJ_1(record_queue_len_obj, queue_len);

static mp_obj_t remove_down(mp_obj_t self_in, mp_obj_t ref) {
    record_obj_t *self = MP_OBJ_TO_PTR(self_in);
    if (self->mailbox == mp_const_none) {
        return mp_const_none;
    }
    for (size_t i = self->head; i < mailbox_of(self)->len; i++) {
        mp_obj_t message = mailbox_of(self)->items[i];
        if (mp_obj_is_exact_type(message, &mp_type_tuple)) {
            mp_obj_tuple_t *down = MP_OBJ_TO_PTR(message);
            if (down->len == 5 && down->items[1] == ref
                && mp_obj_equal(down->items[0], MP_OBJ_NEW_QSTR(MP_QSTR_DOWN))) {
                record_take(self, mp_const_empty_tuple, i, mp_const_none);
                break;
            }
        }
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(record_remove_down_obj, remove_down);

static const mp_rom_map_elem_t record_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_queue_len), MP_ROM_PTR(&record_queue_len_obj) },
    { MP_ROM_QSTR(MP_QSTR_take_oldest), MP_ROM_PTR(&record_take_oldest_obj) },
    { MP_ROM_QSTR(MP_QSTR_take), MP_ROM_PTR(&record_take_obj) },
    { MP_ROM_QSTR(MP_QSTR_remove_down), MP_ROM_PTR(&record_remove_down_obj) },
};
static MP_DEFINE_CONST_DICT(record_locals, record_locals_table);

MP_DEFINE_CONST_OBJ_TYPE(
    record_type,
    MP_QSTR_Process,
    MP_TYPE_FLAG_NONE,
    make_new, record_make_new,
    attr, record_attr,
    locals_dict, &record_locals
    );

// Delivery (runtime/receive.py's deliver: the contract is there) ---------

mp_int_t count_reduction(mp_obj_t s) {
    mp_int_t reds = mp_obj_get_int(mp_load_attr(s, MP_QSTR_reds)) + 1;
    mp_store_attr(s, MP_QSTR_reds, MP_OBJ_NEW_SMALL_INT(reds));
    return reds;
}

static mp_obj_t deliver(mp_obj_t s, mp_obj_t p_in, mp_obj_t message) {
    record_obj_t *p = MP_OBJ_TO_PTR(p_in);
    if (p->status == STATUS_RECEIVING) {
        runq_make_runnable(mp_load_attr(s, MP_QSTR_runq), p, message);
        if (p->timer != mp_const_none) {
            mp_obj_t drop[3];
            mp_load_method(mp_load_attr(s, MP_QSTR_timers), MP_QSTR_drop, drop);
            drop[2] = p->timer;
            mp_call_method_n_kw(1, 0, drop);
            p->timer = mp_const_none;
        }
        return mp_const_none;
    }
    if (p->status == STATUS_EXITING) {
        return mp_const_none;
    }
    if (p->mailbox == mp_const_none) {
        p->mailbox = mp_obj_new_list(1, &message);
    } else {
        if (mailbox_of(p)->len - p->head < (size_t)mp_obj_get_int(rare_value(p, RARE_MAX_QUEUE))) {
            mp_obj_list_append(p->mailbox, message);
        } else {
            mp_obj_t overflow[3];
            mp_load_method(s, MP_QSTR_overflow, overflow);
            overflow[2] = p_in;
            mp_call_method_n_kw(1, 0, overflow);
            return mp_const_none;
        }
    }
    if (p->status == STATUS_SELECTING) {
        nlr_buf_t nlr;
        if (nlr_push(&nlr) == 0) {
            runq_make_runnable(mp_load_attr(s, MP_QSTR_runq), p, record_term(TERM_RESCAN));
            nlr_pop();
        } else {
            mailbox_of(p)->len -= 1;  // all or nothing, so that the sender may try again
            mailbox_of(p)->items[mailbox_of(p)->len] = MP_OBJ_NULL;
            nlr_jump(nlr.ret_val);
        }
    }
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_3(record_deliver_obj, deliver);

// Sender(s, copy_term, elsewhere): runtime.send (api.py has the contract
// and the twin) with its common case here: a live process's Pid (pid.c's),
// the message copied only if it is not of a SHARED type; the reduction
// counted; anything else goes to elsewhere(dest, message).
typedef struct {
    mp_obj_base_t base;
    mp_obj_t s;
    mp_obj_t copy_term;
    mp_obj_t elsewhere;
} sender_obj_t;

#define IMMUTABLE_DEPTH (4)  // nesting of tuples looked into before copy_term decides

// True when copy_term would return `message` itself for sure: a SHARED
// value, or a plain tuple of them (nested up to `depth`). The SHARED types
// must be configured (configure_patterns).
static bool immutable(mp_obj_t message, int depth) {
    const mp_obj_type_t *kind = mp_obj_get_type(message);
    if (is_shared(kind)) {
        return true;
    }
    if (kind != &mp_type_tuple || depth == 0) {
        return false;
    }
    mp_obj_tuple_t *tuple = MP_OBJ_TO_PTR(message);
    for (size_t i = 0; i < tuple->len; i++) {
        if (!immutable(tuple->items[i], depth - 1)) {
            return false;
        }
    }
    return true;
}

static mp_obj_t sender_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 3, 3, false);
    sender_obj_t *self = mp_obj_malloc(sender_obj_t, type);
    self->s = args[0];
    self->copy_term = args[1];
    self->elsewhere = args[2];
    return MP_OBJ_FROM_PTR(self);
}

static mp_obj_t sender_call(mp_obj_t self_in, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 2, 2, false);
    sender_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_obj_t s = self->s;
    count_reduction(s);
    mp_obj_t dest = args[0];
    mp_obj_t message = args[1];
    if (mp_obj_is_exact_type(dest, &pid_type)) {
        mp_obj_t p = pid_proc(dest);
        if (p != mp_const_none) {
            if (MP_STATE_VM(pattern_terms) == MP_OBJ_NULL || !immutable(message, IMMUTABLE_DEPTH)) {
                message = mp_call_function_1(self->copy_term, message);
            }
            return deliver(s, p, message);
        }
    }
    return mp_call_function_2(self->elsewhere, dest, message);
}

MP_DEFINE_CONST_OBJ_TYPE(
    sender_type,
    MP_QSTR_Sender,
    MP_TYPE_FLAG_NONE,
    make_new, sender_make_new,
    call, sender_call
    );
