// Pid(n, proc): names one process (runtime/terms.py has the contract and
// the Python twin that CPython runs), in 16 bytes rather than the 32 of an
// instance with two fields: one per process, so it is part of what an idle
// process costs. Another node's pid (Pid.external) keeps its node, serial
// and creation in a second block; this node's have none.
//
// configure_pids(node_name, node_number) gives the two functions of
// terms.py that `node` and repr() need.
#include "py/objtuple.h"
#include "py/runtime.h"
#include "firmware/record.h"

typedef struct {
    mp_obj_t node;      // its node's name (a str)
    mp_obj_t serial;
    mp_obj_t creation;
} pid_far_t;

typedef struct {
    mp_obj_base_t base;
    mp_obj_t n;
    mp_obj_t proc;      // the live process record; None once it has exited
    pid_far_t *far;     // NULL: this node's
} pid_obj_t;

// (node_name, node_number) as configure_pids got them.
MP_REGISTER_ROOT_POINTER(mp_obj_t pid_functions);

static mp_obj_t configure_pids(mp_obj_t node_name, mp_obj_t node_number) {
    mp_obj_t functions[2] = {node_name, node_number};
    MP_STATE_VM(pid_functions) = mp_obj_new_tuple(2, functions);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_2(pid_configure_obj, configure_pids);

static mp_obj_t pid_function(size_t i) {
    if (MP_STATE_VM(pid_functions) == MP_OBJ_NULL) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("pids are not configured"));
    }
    return ((mp_obj_tuple_t *)MP_OBJ_TO_PTR(MP_STATE_VM(pid_functions)))->items[i];
}

mp_obj_t pid_node_number(void) {
    return pid_function(1);
}

mp_obj_t pid_proc(mp_obj_t pid) {
    return ((pid_obj_t *)MP_OBJ_TO_PTR(pid))->proc;
}

static mp_obj_t new_pid(const mp_obj_type_t *type, mp_obj_t n, mp_obj_t proc) {
    pid_obj_t *self = mp_obj_malloc(pid_obj_t, type);
    self->n = n;
    self->proc = proc;
    self->far = NULL;
    return MP_OBJ_FROM_PTR(self);
}

static mp_obj_t pid_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 2, 2, false);
    return new_pid(type, args[0], args[1]);
}

// Pid.external(node, n, serial, creation): a pid of another node (or of an
// older incarnation of this one).
static mp_obj_t pid_external(size_t n_args, const mp_obj_t *args) {
    mp_obj_t cls = args[0];
    pid_obj_t *pid = MP_OBJ_TO_PTR(new_pid(MP_OBJ_TO_PTR(cls), args[2], mp_const_none));
    pid_far_t *far = m_new(pid_far_t, 1);
    far->node = args[1];
    far->serial = args[3];
    far->creation = args[4];
    pid->far = far;
    return MP_OBJ_FROM_PTR(pid);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(pid_external_fun_obj, 5, 5, pid_external);
static MP_DEFINE_CONST_CLASSMETHOD_OBJ(pid_external_obj, MP_ROM_PTR(&pid_external_fun_obj));

static void pid_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
    pid_obj_t *self = MP_OBJ_TO_PTR(self_in);
    if (dest[0] == MP_OBJ_NULL) {
        switch (attr) {
            case MP_QSTR_n: dest[0] = self->n; return;
            case MP_QSTR__proc: dest[0] = self->proc; return;
            case MP_QSTR__node: dest[0] = self->far == NULL ? mp_const_none : self->far->node; return;
            case MP_QSTR_serial: dest[0] = self->far == NULL ? MP_OBJ_NEW_SMALL_INT(0) : self->far->serial; return;
            case MP_QSTR_creation: dest[0] = self->far == NULL ? MP_OBJ_NEW_SMALL_INT(0) : self->far->creation; return;
            case MP_QSTR_node:
                dest[0] = self->far == NULL ? mp_call_function_0(pid_function(0)) : self->far->node;
                return;
        }
        dest[1] = MP_OBJ_SENTINEL;  // external: in locals_dict
    } else if (dest[1] != MP_OBJ_NULL && attr == MP_QSTR__proc) {
        self->proc = dest[1];  // the one field that changes: cleared when the process exits
        dest[0] = MP_OBJ_NULL;
    }
}

static mp_obj_t pid_binary_op(mp_binary_op_t op, mp_obj_t lhs_in, mp_obj_t rhs_in) {
    pid_obj_t *lhs = MP_OBJ_TO_PTR(lhs_in);
    if (op == MP_BINARY_OP_EQUAL) {
        if (mp_obj_get_type(rhs_in) != mp_obj_get_type(lhs_in)) {
            return mp_const_false;
        }
        pid_obj_t *rhs = MP_OBJ_TO_PTR(rhs_in);
        if (lhs->far == NULL || rhs->far == NULL) {
            return mp_obj_new_bool(lhs->far == rhs->far && mp_obj_equal(lhs->n, rhs->n));
        }
        return mp_obj_new_bool(mp_obj_equal(lhs->n, rhs->n) && mp_obj_equal(lhs->far->node, rhs->far->node)
            && mp_obj_equal(lhs->far->serial, rhs->far->serial) && mp_obj_equal(lhs->far->creation, rhs->far->creation));
    }
    if (op == MP_BINARY_OP_LESS && mp_obj_get_type(rhs_in) == mp_obj_get_type(lhs_in)) {
        return mp_binary_op(MP_BINARY_OP_LESS, lhs->n, ((pid_obj_t *)MP_OBJ_TO_PTR(rhs_in))->n);
    }
    return MP_OBJ_NULL;  // not supported
}

static mp_obj_t pid_unary_op(mp_unary_op_t op, mp_obj_t self_in) {
    if (op == MP_UNARY_OP_HASH) {
        return mp_unary_op(MP_UNARY_OP_HASH, ((pid_obj_t *)MP_OBJ_TO_PTR(self_in))->n);
    }
    return MP_OBJ_NULL;
}

static void pid_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    pid_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_obj_t parts[3] = {MP_OBJ_NEW_SMALL_INT(0), self->n, MP_OBJ_NEW_SMALL_INT(0)};
    if (self->far != NULL) {
        parts[0] = mp_call_function_1(pid_node_number(), self->far->node);
        parts[2] = self->far->serial;
    }
    for (size_t i = 0; i < 3; i++) {
        mp_print_str(print, i == 0 ? "<" : ".");
        mp_obj_print_helper(print, parts[i], PRINT_STR);
    }
    mp_print_str(print, ">");
}

static const mp_rom_map_elem_t pid_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_external), MP_ROM_PTR(&pid_external_obj) },
};
static MP_DEFINE_CONST_DICT(pid_locals, pid_locals_table);

MP_DEFINE_CONST_OBJ_TYPE(
    pid_type,
    MP_QSTR_Pid,
    MP_TYPE_FLAG_NONE,
    make_new, pid_make_new,
    print, pid_print,
    unary_op, pid_unary_op,
    binary_op, pid_binary_op,
    attr, pid_attr,
    locals_dict, &pid_locals
    );
