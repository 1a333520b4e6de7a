// RunQueues(): the run queues of runtime/runq.py (the contract, and the
// Python twin that CPython runs), in C: the scheduler consults them every
// round, and every wake-up goes through make_runnable, so their Python
// calls were a good part of a message's cost. The same lists, visible as
// `queues` and `spare`, the same order, the same allocations (one append
// per wake-up, made before any store, so that a full heap leaves nothing
// changed).
#include <string.h>

#include "py/runtime.h"
#include "firmware/record.h"

#define LOW_TURN (8)  // runq.py's: normal slices per low slice when both are ready

enum { HIGH, NORMAL, LOW };

typedef struct {
    mp_obj_base_t base;
    mp_obj_t queues;      // a list of three lists, by priority
    mp_obj_t spare;       // an empty list that replaces a queue while its round runs
    mp_int_t normal_picks;
    mp_obj_t fair;        // a bool: memory is short (memory.py sets it)
} runq_obj_t;

static mp_obj_list_t *queue(runq_obj_t *self, size_t priority) {
    return MP_OBJ_TO_PTR(((mp_obj_list_t *)MP_OBJ_TO_PTR(self->queues))->items[priority]);
}

static void empty(mp_obj_list_t *list) {  // del list[:], which keeps its room
    memset(list->items, 0, list->len * sizeof(mp_obj_t));
    list->len = 0;
}

static mp_obj_t pop_first(mp_obj_list_t *list) {  // list.pop(0), as the twin does
    mp_obj_t pop[3];
    mp_load_method(MP_OBJ_FROM_PTR(list), MP_QSTR_pop, pop);
    pop[2] = MP_OBJ_NEW_SMALL_INT(0);
    return mp_call_method_n_kw(1, 0, pop);
}

static void reset(runq_obj_t *self) {  // empty, as made
    mp_obj_t lists[3] = {mp_obj_new_list(0, NULL), mp_obj_new_list(0, NULL), mp_obj_new_list(0, NULL)};
    self->queues = mp_obj_new_list(3, lists);
    self->spare = mp_obj_new_list(0, NULL);
    self->normal_picks = 0;
    self->fair = mp_const_false;
}

static mp_obj_t runq_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 0, 0, false);
    runq_obj_t *self = mp_obj_malloc(runq_obj_t, type);
    reset(self);
    return MP_OBJ_FROM_PTR(self);
}

// The run queues the C core is given (the scheduler's `runq`) must be these:
// it reads their C struct (the queues it appends to).
static runq_obj_t *native(mp_obj_t runq) {
    if (!mp_obj_is_type(runq, &runq_type)) {
        mp_raise_TypeError(MP_ERROR_TEXT("the scheduler's runq is not _runtime.RunQueues"));
    }
    return MP_OBJ_TO_PTR(runq);
}

void runq_make_runnable(mp_obj_t runq, record_obj_t *p, mp_obj_t value) {
    runq_requeue(runq, p);  // first: a full heap fails it before any store
    p->result = value;
    p->status = STATUS_RUNNABLE;
}

static mp_obj_t make_runnable(mp_obj_t self, mp_obj_t p, mp_obj_t value) {
    runq_make_runnable(self, MP_OBJ_TO_PTR(p), value);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(runq_make_runnable_obj, make_runnable);

void runq_requeue(mp_obj_t runq, record_obj_t *p) {
    mp_obj_list_append(MP_OBJ_FROM_PTR(queue(native(runq), p->priority)), MP_OBJ_FROM_PTR(p));
}

static mp_obj_t requeue(mp_obj_t self, mp_obj_t p) {
    runq_requeue(self, MP_OBJ_TO_PTR(p));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(runq_requeue_obj, requeue);

static mp_obj_t make_exiting(mp_obj_t self, mp_obj_t p, mp_obj_t reason) {
    record_obj_t *record = MP_OBJ_TO_PTR(p);
    if (record->status != STATUS_RUNNABLE) {
        mp_obj_list_append(MP_OBJ_FROM_PTR(queue(MP_OBJ_TO_PTR(self), record->priority)), p);
    }
    record->result = reason;
    record->status = STATUS_EXITING;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(runq_make_exiting_obj, make_exiting);

static mp_obj_t ready(mp_obj_t self_in) {
    runq_obj_t *self = MP_OBJ_TO_PTR(self_in);
    return mp_obj_new_bool(queue(self, HIGH)->len || queue(self, NORMAL)->len || queue(self, LOW)->len);
}
static MP_DEFINE_CONST_FUN_OBJ_1(runq_ready_obj, ready);

static mp_obj_t take_round(mp_obj_t self_in) {
    runq_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_obj_list_t *queues = MP_OBJ_TO_PTR(self->queues);
    size_t priority = queue(self, HIGH)->len ? HIGH : queue(self, NORMAL)->len ? NORMAL : LOW;
    mp_obj_t batch = queues->items[priority];
    queues->items[priority] = self->spare;
    mp_obj_list_t *low = queue(self, LOW);
    if (mp_obj_is_true(self->fair) && priority == HIGH) {
        // Under memory pressure (memory.py) the process that holds the
        // heap may sit in a lower queue: let it run, and fail.
        if (queue(self, NORMAL)->len) {
            mp_obj_list_append(batch, pop_first(queue(self, NORMAL)));
        }
        if (low->len) {
            mp_obj_list_append(batch, pop_first(low));
        }
    } else if (priority == NORMAL && low->len) {
        self->normal_picks += ((mp_obj_list_t *)MP_OBJ_TO_PTR(batch))->len;
        while (self->normal_picks >= LOW_TURN && low->len) {
            self->normal_picks -= LOW_TURN;
            mp_obj_list_append(batch, pop_first(low));
        }
    }
    return batch;
}
static MP_DEFINE_CONST_FUN_OBJ_1(runq_take_round_obj, take_round);

static mp_obj_t end_round(mp_obj_t self_in, mp_obj_t batch) {
    runq_obj_t *self = MP_OBJ_TO_PTR(self_in);
    empty(MP_OBJ_TO_PTR(batch));
    self->spare = batch;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(runq_end_round_obj, end_round);

static void refill(runq_obj_t *self, mp_obj_t records) {
    mp_obj_t iter = mp_getiter(records, NULL);
    for (mp_obj_t item; (item = mp_iternext(iter)) != MP_OBJ_STOP_ITERATION;) {
        record_obj_t *p = MP_OBJ_TO_PTR(item);
        if (p->status == STATUS_RECEIVING && p->result != record_term(TERM_NOVALUE)) {
            p->status = STATUS_RUNNABLE;  // a message was handed over, the wake-up cut short
        } else if (p->status == STATUS_SELECTING && p->mailbox != mp_const_none
                   && mailbox_of(p)->len > p->scanned) {
            p->result = record_term(TERM_RESCAN);
            p->status = STATUS_RUNNABLE;
        }
        if (p->status == STATUS_RUNNABLE || p->status == STATUS_EXITING) {
            mp_obj_list_append(MP_OBJ_FROM_PTR(queue(self, p->priority)), item);
        }
    }
}

static void empty_all(runq_obj_t *self) {
    for (size_t priority = HIGH; priority <= LOW; priority++) {
        empty(queue(self, priority));
    }
}

static mp_obj_t rebuild(mp_obj_t self_in, mp_obj_t table) {
    runq_obj_t *self = MP_OBJ_TO_PTR(self_in);
    empty_all(self);
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        mp_obj_t records[2];
        mp_load_method(table, MP_QSTR_records, records);
        refill(self, mp_call_method_n_kw(0, 0, records));
        nlr_pop();
    } else {
        if (!mp_obj_is_subclass_fast(MP_OBJ_FROM_PTR(((mp_obj_base_t *)nlr.ret_val)->type),
            MP_OBJ_FROM_PTR(&mp_type_MemoryError))) {
            nlr_jump(nlr.ret_val);
        }
        empty_all(self);  // no room to sort: any order will do
        mp_obj_t unordered[2];
        mp_load_method(table, MP_QSTR_unordered, unordered);
        refill(self, mp_call_method_n_kw(0, 0, unordered));
    }
    mp_obj_list_t *queues = MP_OBJ_TO_PTR(self->queues);
    if (self->spare == queues->items[0] || self->spare == queues->items[1] || self->spare == queues->items[2]) {
        self->spare = mp_obj_new_list(0, NULL);  // a round was broken off before end_round
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(runq_rebuild_obj, rebuild);

static mp_obj_t clear(mp_obj_t self_in) {
    reset(MP_OBJ_TO_PTR(self_in));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(runq_clear_obj, clear);

static void runq_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
    runq_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_obj_t *field = attr == MP_QSTR_queues ? &self->queues : attr == MP_QSTR_spare ? &self->spare
        : attr == MP_QSTR_fair ? &self->fair : NULL;
    if (dest[0] == MP_OBJ_NULL) {
        if (field != NULL) {
            dest[0] = *field;
        } else if (attr == MP_QSTR_normal_picks) {
            dest[0] = MP_OBJ_NEW_SMALL_INT(self->normal_picks);
        } else {
            dest[1] = MP_OBJ_SENTINEL;  // a method
        }
    } else if (dest[1] != MP_OBJ_NULL) {
        if (field != NULL) {
            *field = attr == MP_QSTR_fair ? mp_obj_new_bool(mp_obj_is_true(dest[1])) : dest[1];
            dest[0] = MP_OBJ_NULL;
        } else if (attr == MP_QSTR_normal_picks) {
            self->normal_picks = mp_obj_get_int(dest[1]);
            dest[0] = MP_OBJ_NULL;
        }
    }
}

static const mp_rom_map_elem_t runq_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_make_runnable), MP_ROM_PTR(&runq_make_runnable_obj) },
    { MP_ROM_QSTR(MP_QSTR_requeue), MP_ROM_PTR(&runq_requeue_obj) },
    { MP_ROM_QSTR(MP_QSTR_make_exiting), MP_ROM_PTR(&runq_make_exiting_obj) },
    { MP_ROM_QSTR(MP_QSTR_ready), MP_ROM_PTR(&runq_ready_obj) },
    { MP_ROM_QSTR(MP_QSTR_take_round), MP_ROM_PTR(&runq_take_round_obj) },
    { MP_ROM_QSTR(MP_QSTR_end_round), MP_ROM_PTR(&runq_end_round_obj) },
    { MP_ROM_QSTR(MP_QSTR_rebuild), MP_ROM_PTR(&runq_rebuild_obj) },
    { MP_ROM_QSTR(MP_QSTR_clear), MP_ROM_PTR(&runq_clear_obj) },
};
static MP_DEFINE_CONST_DICT(runq_locals, runq_locals_table);

MP_DEFINE_CONST_OBJ_TYPE(
    runq_type,
    MP_QSTR_RunQueues,
    MP_TYPE_FLAG_NONE,
    make_new, runq_make_new,
    attr, runq_attr,
    locals_dict, &runq_locals
    );
