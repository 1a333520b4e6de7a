// SliceExpired: see slice.h.
#include "py/mpstate.h"
#include "py/objexcept.h"
#include "py/runtime.h"
#include "firmware/slice.h"

MP_DEFINE_CONST_OBJ_TYPE(
    libos_type_SliceExpired,
    MP_QSTR_SliceExpired,
    MP_TYPE_FLAG_NONE,
    make_new, mp_obj_exception_make_new,
    print, mp_obj_exception_print,
    attr, mp_obj_exception_attr,
    parent, &mp_type_BaseException
    );

MP_REGISTER_ROOT_POINTER(mp_obj_exception_t slice_expired);

void slice_init(void) {
    mp_obj_exception_t *exc = &MP_STATE_VM(slice_expired);
    exc->base.type = &libos_type_SliceExpired;
    exc->traceback_alloc = 0;
    exc->traceback_len = 0;
    exc->traceback_data = NULL;
    exc->args = (mp_obj_tuple_t *)&mp_const_empty_tuple_obj;
}

void slice_raise(void) {
    mp_obj_exception_t *exc = &MP_STATE_VM(slice_expired);
    exc->traceback_alloc = 0;
    exc->traceback_len = 0;
    exc->traceback_data = NULL;
    mp_sched_exception(MP_OBJ_FROM_PTR(exc));
}

void slice_drop_pending(void) {
    // Compare-and-swap: a Ctrl-C that lands meanwhile stays, without masking
    // interrupts (on posix that would be a system call per slice).
    mp_obj_t expected = MP_OBJ_FROM_PTR(&MP_STATE_VM(slice_expired));
    __atomic_compare_exchange_n(&MP_STATE_MAIN_THREAD(mp_pending_exception), &expected,
        MP_OBJ_NULL, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static volatile bool running;      // a process's slice runs
static volatile bool interrupted;  // a Ctrl-C came meanwhile

void slice_enter(void) {
    running = true;
}

void slice_leave(void) {
    running = false;
    if (interrupted) {
        interrupted = false;
        mp_sched_keyboard_interrupt();
    }
}

void slice_keyboard_interrupt(void) {
    if (running) {
        interrupted = true;
    } else {
        mp_sched_keyboard_interrupt();
    }
}
