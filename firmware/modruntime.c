// `_runtime`: what the runtime (runtime/, Python) asks of the firmware to be
// fast, and nothing more. Pure mechanism; runtime/compat.py has the same in
// Python for CPython.
//
// Trap(advance, block): the awaitable every runtime trap (receive, sleep)
// returns. Each step of an await on it calls advance(), a Python function
// that decides everything: its result `block` suspends the awaiting
// coroutine; any other result completes the await with that value. The
// value travels back without a StopIteration being made (MicroPython's
// mp_make_stop_iteration), so an await allocates nothing.
#include "py/runtime.h"

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

static const mp_rom_map_elem_t runtime_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR__runtime) },
    { MP_ROM_QSTR(MP_QSTR_Trap), MP_ROM_PTR(&runtime_type_Trap) },
};
static MP_DEFINE_CONST_DICT(runtime_globals, runtime_globals_table);

const mp_obj_module_t runtime_native_module = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&runtime_globals,
};

MP_REGISTER_MODULE(MP_QSTR__runtime, runtime_native_module);
