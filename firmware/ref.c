// Ref(n=None): a unique reference (runtime/terms.py has the contract and
// the Python twin that CPython runs), in fixed fields: every monitor, call
// and timer makes one, and an instance grew its field table (a new table,
// the old one freed) as monitors set their fields. 32 bytes; another node's
// reference keeps its node, creation and ids in a second block.
#include "py/objtuple.h"
#include "py/runtime.h"
#include "firmware/record.h"

typedef struct {
    mp_obj_t node;      // its node's name (a str)
    mp_obj_t creation;
    mp_obj_t ids;       // its ID words, a tuple
} ref_far_t;

typedef struct {
    mp_obj_base_t base;
    mp_obj_t n;
    mp_obj_t watcher;   // monitor: the watching process record, None once ended
    mp_obj_t target;    // monitor: the watched process record
    mp_obj_t timer;     // send_after: the timer entry
    mp_obj_t away;      // monitor of another node's process: what the watcher named
    mp_obj_t named;     // monitor by registered name here: (name, node)
    ref_far_t *far;     // NULL: this node's
} ref_obj_t;

static mp_uint_t last_ref;  // the number of the last Ref made here

static mp_obj_t new_ref(const mp_obj_type_t *type, mp_obj_t n) {
    ref_obj_t *self = mp_obj_malloc(ref_obj_t, type);
    self->n = n;
    self->watcher = self->target = self->timer = self->away = self->named = mp_const_none;
    self->far = NULL;
    return MP_OBJ_FROM_PTR(self);
}

static mp_obj_t ref_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 0, 1, false);
    if (n_args == 1 && args[0] != mp_const_none) {
        return new_ref(type, args[0]);  // the Ref numbered n of this node (one that came back)
    }
    last_ref += 1;
    return new_ref(type, mp_obj_new_int_from_uint(last_ref));
}

// Ref.external(node, creation, ids): another node's reference.
static mp_obj_t ref_external(size_t n_args, const mp_obj_t *args) {
    ref_obj_t *ref = MP_OBJ_TO_PTR(new_ref(MP_OBJ_TO_PTR(args[0]), MP_OBJ_NEW_SMALL_INT(0)));
    ref_far_t *far = m_new(ref_far_t, 1);
    far->node = args[1];
    far->creation = args[2];
    far->ids = args[3];
    ref->far = far;
    return MP_OBJ_FROM_PTR(ref);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(ref_external_fun_obj, 4, 4, ref_external);
static MP_DEFINE_CONST_CLASSMETHOD_OBJ(ref_external_obj, MP_ROM_PTR(&ref_external_fun_obj));

static mp_obj_t *field(ref_obj_t *self, qstr attr) {
    switch (attr) {
        case MP_QSTR_watcher: return &self->watcher;
        case MP_QSTR_target: return &self->target;
        case MP_QSTR_timer: return &self->timer;
        case MP_QSTR_away: return &self->away;
        case MP_QSTR_named: return &self->named;
        default: return NULL;
    }
}

static void ref_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
    ref_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_obj_t *slot = field(self, attr);
    if (dest[0] == MP_OBJ_NULL) {
        if (slot != NULL) {
            dest[0] = *slot;
        } else if (attr == MP_QSTR_n) {
            dest[0] = self->n;
        } else if (attr == MP_QSTR__node) {
            dest[0] = self->far == NULL ? mp_const_none : self->far->node;
        } else if (attr == MP_QSTR_creation) {
            dest[0] = self->far == NULL ? MP_OBJ_NEW_SMALL_INT(0) : self->far->creation;
        } else if (attr == MP_QSTR_ids) {
            dest[0] = self->far == NULL ? mp_const_none : self->far->ids;
        } else {
            dest[1] = MP_OBJ_SENTINEL;  // external: in locals_dict
        }
    } else if (dest[1] != MP_OBJ_NULL && slot != NULL) {
        *slot = dest[1];
        dest[0] = MP_OBJ_NULL;
    }
}

static mp_obj_t ref_binary_op(mp_binary_op_t op, mp_obj_t lhs_in, mp_obj_t rhs_in) {
    if (op != MP_BINARY_OP_EQUAL) {
        return MP_OBJ_NULL;  // not supported
    }
    if (mp_obj_get_type(rhs_in) != mp_obj_get_type(lhs_in)) {
        return mp_const_false;
    }
    ref_obj_t *lhs = MP_OBJ_TO_PTR(lhs_in);
    ref_obj_t *rhs = MP_OBJ_TO_PTR(rhs_in);
    if (lhs->far == NULL || rhs->far == NULL) {
        return mp_obj_new_bool(lhs->far == rhs->far && mp_obj_equal(lhs->n, rhs->n));
    }
    return mp_obj_new_bool(mp_obj_equal(lhs->n, rhs->n) && mp_obj_equal(lhs->far->node, rhs->far->node)
        && mp_obj_equal(lhs->far->ids, rhs->far->ids) && mp_obj_equal(lhs->far->creation, rhs->far->creation));
}

static mp_obj_t ref_unary_op(mp_unary_op_t op, mp_obj_t self_in) {
    if (op != MP_UNARY_OP_HASH) {
        return MP_OBJ_NULL;
    }
    ref_obj_t *self = MP_OBJ_TO_PTR(self_in);
    return mp_unary_op(MP_UNARY_OP_HASH, self->far == NULL ? self->n : self->far->ids);
}

static void ref_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    ref_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_print_str(print, "#Ref<");
    if (self->far == NULL) {
        mp_print_str(print, "0.");
        mp_obj_print_helper(print, self->n, PRINT_STR);
    } else {
        // its node's number, then its ID words, the last first
        mp_obj_print_helper(print, mp_call_function_1(pid_node_number(), self->far->node), PRINT_STR);
        size_t n;
        mp_obj_t *ids;
        mp_obj_get_array(self->far->ids, &n, &ids);
        while (n > 0) {
            mp_print_str(print, ".");
            mp_obj_print_helper(print, ids[--n], PRINT_STR);
        }
    }
    mp_print_str(print, ">");
}

static const mp_rom_map_elem_t ref_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_external), MP_ROM_PTR(&ref_external_obj) },
};
static MP_DEFINE_CONST_DICT(ref_locals, ref_locals_table);

MP_DEFINE_CONST_OBJ_TYPE(
    ref_type,
    MP_QSTR_Ref,
    MP_TYPE_FLAG_NONE,
    make_new, ref_make_new,
    print, ref_print,
    unary_op, ref_unary_op,
    binary_op, ref_binary_op,
    attr, ref_attr,
    locals_dict, &ref_locals
    );
