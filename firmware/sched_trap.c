// SchedulerTrap(s, request, block, novalue, rescan, resume, exit_class,
// receive, quota): the awaitable of runtime/traps.py's wrappers, with the
// wrappers' _advance done here rather than in a Python call (traps.py has
// the contract and the twin, _advance). Each step of an await on it:
// - resuming (s.resuming is not `novalue`): complete the await with that
//   value, after `resume(s, s.current)` if it is `rescan`;
// - else take the trap the wrapper asked for (`request`: handler, a, b),
//   raise exit_class(p.result) into a process being ended, and run the
//   handler: handler(s, p, a, b); its result `block` suspends the process.
// The handler `receive` with no patterns and no timeout (a plain
// `await receive()`) is done here: the next message, or the process waits
// as RECEIVING, the same steps as receive.py's trap_receive.
#include "py/runtime.h"
#include "firmware/record.h"

typedef struct {
    mp_obj_base_t base;
    mp_obj_t s;
    mp_obj_t request;
    mp_obj_t block;
    mp_obj_t novalue;
    mp_obj_t rescan;
    mp_obj_t resume;
    mp_obj_t exit_class;
    mp_obj_t receive;
    mp_int_t quota;
} sched_trap_obj_t;

static mp_obj_t sched_trap_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 9, 9, false);
    sched_trap_obj_t *self = mp_obj_malloc(sched_trap_obj_t, type);
    self->s = args[0];
    self->request = args[1];
    self->block = args[2];
    self->novalue = args[3];
    self->rescan = args[4];
    self->resume = args[5];
    self->exit_class = args[6];
    self->receive = args[7];
    self->quota = mp_obj_get_int(args[8]);
    return MP_OBJ_FROM_PTR(self);
}

// receive.trap_receive(s, p, (), None)
static mp_obj_t plain_receive(sched_trap_obj_t *self, record_obj_t *p) {
    mp_obj_t s = self->s;
    mp_int_t reds = count_reduction(s);
    if (p->mailbox != mp_const_none && mailbox_of(p)->len) {
        mp_obj_t message = record_take_oldest(MP_OBJ_FROM_PTR(p));
        if (reds < self->quota) {
            return message;
        }
        p->result = message;  // its turn is over: resumed with the message
        runq_requeue(mp_load_attr(s, MP_QSTR_runq), p);
        return self->block;
    }
    p->status = STATUS_RECEIVING;
    return self->block;
}

static mp_obj_t advance(sched_trap_obj_t *self) {
    mp_obj_t s = self->s;
    mp_obj_t value = mp_load_attr(s, MP_QSTR_resuming);
    if (value != self->novalue) {
        mp_store_attr(s, MP_QSTR_resuming, self->novalue);
        if (value == self->rescan) {
            return mp_call_function_2(self->resume, s, mp_load_attr(s, MP_QSTR_current));
        }
        return value;
    }
    mp_obj_t request = self->request;
    mp_obj_t handler = mp_load_attr(request, MP_QSTR_handler);
    if (handler == mp_const_none) {
        mp_raise_TypeError(MP_ERROR_TEXT("a runtime trap was awaited twice"));
    }
    mp_store_attr(request, MP_QSTR_handler, mp_const_none);
    mp_obj_t current = mp_load_attr(s, MP_QSTR_current);
    record_obj_t *p = MP_OBJ_TO_PTR(current);
    if (p->status == STATUS_EXITING) {  // it is being ended: no more waiting
        nlr_raise(mp_call_function_1(self->exit_class, p->result));
    }
    mp_obj_t a = mp_load_attr(request, MP_QSTR_a);
    mp_obj_t b = mp_load_attr(request, MP_QSTR_b);
    if (handler == self->receive && b == mp_const_none && a == mp_const_empty_tuple) {
        return plain_receive(self, p);
    }
    mp_obj_t args[4] = {s, current, a, b};
    return mp_call_function_n_kw(handler, 4, 0, args);
}

static mp_obj_t sched_trap_iternext(mp_obj_t self_in) {
    sched_trap_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_obj_t result = advance(self);
    if (result == self->block) {
        return result;
    }
    return mp_make_stop_iteration(result);
}

MP_DEFINE_CONST_OBJ_TYPE(
    sched_trap_type,
    MP_QSTR_SchedulerTrap,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    make_new, sched_trap_make_new,
    iter, sched_trap_iternext
    );
