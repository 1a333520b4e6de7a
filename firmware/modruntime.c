// `_runtime`: what the runtime (runtime/, Python) asks of the firmware to be
// fast, or to do what Python cannot, and nothing more. Pure mechanism;
// runtime/compat.py has the same in Python for CPython.
//
// Trap(advance, block): the awaitable every runtime trap (receive, sleep)
// returns. Each step of an await on it calls advance(), a Python function
// that decides everything: its result `block` suspends the awaiting
// coroutine; any other result completes the await with that value. The
// value travels back without a StopIteration being made (MicroPython's
// mp_make_stop_iteration), so an await allocates nothing.
#include "py/objgenerator.h"
#include "py/smallint.h"
#include "py/runtime.h"
#include "firmware/collections.h"
#include "firmware/record.h"
#include "firmware/slice.h"
#include "libos/budget.h"
#include "libos/clock.h"
#include "libos/hw.h"

typedef struct {
    mp_obj_base_t base;
    mp_obj_t advance;
    mp_obj_t block;
} trap_obj_t;

static mp_obj_t trap_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 2, 2, false);
    trap_obj_t *self = mp_obj_malloc(trap_obj_t, type);
    self->advance = args[0];
    self->block = args[1];
    return MP_OBJ_FROM_PTR(self);
}

static mp_obj_t trap_iternext(mp_obj_t self_in) {
    trap_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_obj_t result = mp_call_function_0(self->advance);
    if (result == self->block) {
        return result;
    }
    return mp_make_stop_iteration(result);
}

static MP_DEFINE_CONST_OBJ_TYPE(
    runtime_type_Trap,
    MP_QSTR_Trap,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    make_new, trap_make_new,
    iter, trap_iternext
    );

// Runner(done, failed, expired): runs one slice of a process's coroutine
// under the slice budget and says how it ended (the contract is the Python
// twin's, runtime/compat.py). What only C can do: when a process catches the
// SliceExpired its budget raised and is still running at the budget's repeat
// (LIBOS_BUDGET_REPEAT_US later), the runner leaves its coroutine from here,
// through MicroPython's VM abort (mp_sched_vm_abort, nlr_set_abort), without
// running another bytecode of it, and returns `expired`. The coroutine is
// left marked as running, so it can never be resumed; the runtime drops it.
// Arming, the resume and disarming happen here with no bytecode between, so
// a cut can only land in the process's own code.

typedef struct {
    mp_obj_base_t base;
    mp_obj_t done;
    mp_obj_t failed;
    mp_obj_t expired;
    mp_obj_t error;     // what the last `failed` or `expired` slice raised, or None
    uint32_t us;        // the budget of each slice; 0: none
    uint32_t started;   // ticks_us() when the running slice began
    mp_obj_t terminate;   // run_round's policy (round_policy); MP_OBJ_NULL until given
    mp_obj_t slice_ended;
    mp_obj_t block;
} runner_obj_t;

static volatile unsigned slice_cuts;  // budget expiries in the running slice

static void runner_expiry(void) {
    if (slice_cuts++ == 0) {
        slice_raise();
    } else {
        mp_sched_vm_abort();  // it swallowed the cut: leave it
    }
}

static mp_obj_t runner_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 3, 3, false);
    runner_obj_t *self = mp_obj_malloc(runner_obj_t, type);
    self->done = args[0];
    self->failed = args[1];
    self->expired = args[2];
    self->error = mp_const_none;
    self->us = 0;
    self->started = 0;
    self->terminate = self->slice_ended = self->block = MP_OBJ_NULL;
    return MP_OBJ_FROM_PTR(self);
}

// One resume of `coro` (sending None, or throwing `throw_value` if not
// NULL) under the budget; its outcome in *ret, NULL if it was aborted.
static mp_vm_return_kind_t resume_under_budget(uint32_t us, mp_obj_t coro, mp_obj_t throw_value, mp_obj_t *ret) {
    nlr_buf_t *outer_abort = nlr_get_abort();
    mp_obj_dict_t *globals = mp_globals_get();
    mp_obj_dict_t *locals = mp_locals_get();
    mp_vm_return_kind_t kind;
    nlr_buf_t nlr;
    slice_enter();
    if (nlr_push(&nlr) == 0) {
        nlr_set_abort(&nlr);
        if (us) {
            budget_arm(us, runner_expiry);
        }
        kind = mp_obj_gen_resume(coro, mp_const_none, throw_value, ret);
        budget_disarm();
        nlr_set_abort(outer_abort);
        nlr_pop();
    } else {
        // Aborted (ret_val NULL), or an exception the generator did not
        // catch itself (it was running already, or cannot be resumed).
        budget_disarm();
        nlr_set_abort(outer_abort);
        mp_globals_set(globals);
        mp_locals_set(locals);
        kind = MP_VM_RETURN_EXCEPTION;
        *ret = nlr.ret_val == NULL ? MP_OBJ_NULL : MP_OBJ_FROM_PTR(nlr.ret_val);
    }
    slice_drop_pending();
    MP_STATE_VM(vm_abort) = false;
    slice_leave();
    return kind;
}

static mp_obj_t runner_run(runner_obj_t *self, mp_obj_t coro, mp_obj_t throw_value) {
    if (!mp_obj_is_type(coro, &mp_type_gen_instance)) {
        mp_raise_msg_varg(&mp_type_TypeError, MP_ERROR_TEXT("a runner runs coroutines, not %s"),
            mp_obj_get_type_str(coro));
    }
    mp_obj_t ret = mp_const_none;
    self->error = mp_const_none;
    slice_cuts = 0;
    self->started = ticks_us();
    mp_vm_return_kind_t kind = resume_under_budget(self->us, coro,
        throw_value == MP_OBJ_NULL ? MP_OBJ_NULL : mp_make_raise_obj(throw_value), &ret);
    if (slice_cuts) {
        self->error = kind == MP_VM_RETURN_EXCEPTION && ret != MP_OBJ_NULL ? ret : mp_const_none;
        return self->expired;
    }
    if (kind == MP_VM_RETURN_YIELD) {
        return ret;
    }
    if (kind == MP_VM_RETURN_NORMAL) {
        return self->done;
    }
    self->error = ret == MP_OBJ_NULL ? mp_const_none : ret;
    return self->failed;
}

static mp_obj_t runner_resume(mp_obj_t self, mp_obj_t coro) {
    return runner_run(MP_OBJ_TO_PTR(self), coro, MP_OBJ_NULL);
}
static MP_DEFINE_CONST_FUN_OBJ_2(runner_resume_obj, runner_resume);

static mp_obj_t runner_throw(mp_obj_t self, mp_obj_t coro, mp_obj_t exc) {
    return runner_run(MP_OBJ_TO_PTR(self), coro, exc);
}
static MP_DEFINE_CONST_FUN_OBJ_3(runner_throw_obj, runner_throw);

static mp_obj_t runner_budget(mp_obj_t self_in, mp_obj_t us) {
    runner_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_int_t value = mp_obj_get_int(us);
    if (value < 0 || (mp_uint_t)value > hw_budget_max_us()) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("budget must be between 0 and %u us, not %d"),
            (unsigned)hw_budget_max_us(), (int)value);
    }
    self->us = (uint32_t)value;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(runner_budget_obj, runner_budget);

static mp_obj_t runner_error(mp_obj_t self_in) {
    return ((runner_obj_t *)MP_OBJ_TO_PTR(self_in))->error;
}
static MP_DEFINE_CONST_FUN_OBJ_1(runner_error_obj, runner_error);

static mp_obj_t runner_elapsed_us(mp_obj_t self_in) {
    runner_obj_t *self = MP_OBJ_TO_PTR(self_in);
    return MP_OBJ_NEW_SMALL_INT(ticks_diff(ticks_us(), self->started));
}
static MP_DEFINE_CONST_FUN_OBJ_1(runner_elapsed_us_obj, runner_elapsed_us);

// run_round(s, batch): phase 3 of the scheduler's loop for the records of
// `batch`, runtime/scheduler.py's _run_round (the twin) in C: each RUNNABLE
// one runs a slice, each EXITING one is given to terminate(s, p); a slice
// that ends other than in `block` goes to slice_ended(s, p, out), the three
// given once by round_policy(terminate, slice_ended, block).
static mp_obj_t runner_round_policy(size_t n_args, const mp_obj_t *args) {
    runner_obj_t *self = MP_OBJ_TO_PTR(args[0]);
    self->terminate = args[1];
    self->slice_ended = args[2];
    self->block = args[3];
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(runner_round_policy_obj, 4, 4, runner_round_policy);

static mp_obj_t runner_run_round(mp_obj_t self_in, mp_obj_t s, mp_obj_t batch_in) {
    runner_obj_t *self = MP_OBJ_TO_PTR(self_in);
    if (self->block == MP_OBJ_NULL) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("run_round before round_policy"));
    }
    mp_obj_list_t *batch = MP_OBJ_TO_PTR(batch_in);
    mp_obj_t novalue = record_term(TERM_NOVALUE);
    mp_obj_t start = record_term(TERM_START);
    for (size_t i = 0; i < batch->len; i++) {
        mp_obj_t item = batch->items[i];
        record_obj_t *p = MP_OBJ_TO_PTR(item);
        if (p->status != STATUS_RUNNABLE) {
            if (p->status == STATUS_EXITING) {
                mp_call_function_2(self->terminate, s, item);
            }
            continue;  // else it died or waits again (a stale entry, see runq.py)
        }
        mp_obj_t value = p->result;
        p->result = novalue;
        mp_store_attr(s, MP_QSTR_resuming, value == start ? novalue : value);
        mp_store_attr(s, MP_QSTR_current, item);
        mp_store_attr(s, MP_QSTR_reds, MP_OBJ_NEW_SMALL_INT(0));
        mp_obj_t out = runner_run(self, p->coro, MP_OBJ_NULL);
        p->reductions = mp_binary_op(MP_BINARY_OP_ADD, p->reductions, mp_load_attr(s, MP_QSTR_reds));
        if (out != self->block) {
            mp_store_attr(s, MP_QSTR_current, mp_const_none);
            mp_obj_t ended[3] = {s, item, out};
            mp_call_function_n_kw(self->slice_ended, 3, 0, ended);
        }
    }
    // (`current` still names the last process that blocked: cleared once
    // per round, not per slice; nothing between slices reads it.)
    mp_store_attr(s, MP_QSTR_current, mp_const_none);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(runner_run_round_obj, runner_run_round);

static const mp_rom_map_elem_t runner_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_run_round), MP_ROM_PTR(&runner_run_round_obj) },
    { MP_ROM_QSTR(MP_QSTR_round_policy), MP_ROM_PTR(&runner_round_policy_obj) },
    { MP_ROM_QSTR(MP_QSTR_resume), MP_ROM_PTR(&runner_resume_obj) },
    { MP_ROM_QSTR(MP_QSTR_throw), MP_ROM_PTR(&runner_throw_obj) },
    { MP_ROM_QSTR(MP_QSTR_budget), MP_ROM_PTR(&runner_budget_obj) },
    { MP_ROM_QSTR(MP_QSTR_error), MP_ROM_PTR(&runner_error_obj) },
    { MP_ROM_QSTR(MP_QSTR_elapsed_us), MP_ROM_PTR(&runner_elapsed_us_obj) },
};
static MP_DEFINE_CONST_DICT(runner_locals, runner_locals_table);

static MP_DEFINE_CONST_OBJ_TYPE(
    runtime_type_Runner,
    MP_QSTR_Runner,
    MP_TYPE_FLAG_NONE,
    make_new, runner_make_new,
    locals_dict, &runner_locals
    );

// collections(): how many times the heap has been collected since boot, as
// a small int (it wraps).
static mp_obj_t runtime_collections_count(void) {
    return MP_OBJ_NEW_SMALL_INT(runtime_collections & MP_SMALL_INT_POSITIVE_MASK);
}
static MP_DEFINE_CONST_FUN_OBJ_0(runtime_collections_obj, runtime_collections_count);

static const mp_rom_map_elem_t runtime_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR__runtime) },
    { MP_ROM_QSTR(MP_QSTR_Trap), MP_ROM_PTR(&runtime_type_Trap) },
    { MP_ROM_QSTR(MP_QSTR_Runner), MP_ROM_PTR(&runtime_type_Runner) },
    { MP_ROM_QSTR(MP_QSTR_collections), MP_ROM_PTR(&runtime_collections_obj) },
    { MP_ROM_QSTR(MP_QSTR_Process), MP_ROM_PTR(&record_type) },
    { MP_ROM_QSTR(MP_QSTR_configure_records), MP_ROM_PTR(&record_configure_obj) },
    { MP_ROM_QSTR(MP_QSTR_configure_patterns), MP_ROM_PTR(&record_configure_patterns_obj) },
    { MP_ROM_QSTR(MP_QSTR_set_default_max_queue), MP_ROM_PTR(&record_set_default_max_queue_obj) },
    { MP_ROM_QSTR(MP_QSTR_default_max_queue), MP_ROM_PTR(&record_default_max_queue_obj) },
    { MP_ROM_QSTR(MP_QSTR_first_match), MP_ROM_PTR(&record_first_match_obj) },
    { MP_ROM_QSTR(MP_QSTR_deliver), MP_ROM_PTR(&record_deliver_obj) },
    { MP_ROM_QSTR(MP_QSTR_Sender), MP_ROM_PTR(&sender_type) },
    { MP_ROM_QSTR(MP_QSTR_Pid), MP_ROM_PTR(&pid_type) },
    { MP_ROM_QSTR(MP_QSTR_Ref), MP_ROM_PTR(&ref_type) },
    { MP_ROM_QSTR(MP_QSTR_heap_push), MP_ROM_PTR(&timer_heap_push_obj) },
    { MP_ROM_QSTR(MP_QSTR_heap_pop), MP_ROM_PTR(&timer_heap_pop_obj) },
    { MP_ROM_QSTR(MP_QSTR_configure_pids), MP_ROM_PTR(&pid_configure_obj) },
    { MP_ROM_QSTR(MP_QSTR_RunQueues), MP_ROM_PTR(&runq_type) },
    { MP_ROM_QSTR(MP_QSTR_SchedulerTrap), MP_ROM_PTR(&sched_trap_type) },
};
static MP_DEFINE_CONST_DICT(runtime_globals, runtime_globals_table);

const mp_obj_module_t runtime_native_module = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&runtime_globals,
};

MP_REGISTER_MODULE(MP_QSTR__runtime, runtime_native_module);
