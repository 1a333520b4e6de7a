// heap_push(heap, entry) and heap_pop(heap): runtime/timers.py's binary heap
// of timer entries (lists [deadline, seq, ...], ordered by deadline, then
// seq), the sifting in C: a timer fired from a heap of 10,000 walked 13
// levels of Python. timers.py has the twins, which CPython runs.
#include "py/objlist.h"
#include "py/runtime.h"
#include "firmware/record.h"

#define DEADLINE (0)
#define SEQ (1)

static mp_obj_t *fields(mp_obj_t entry) {
    return ((mp_obj_list_t *)MP_OBJ_TO_PTR(entry))->items;
}

static bool less(mp_obj_t a, mp_obj_t b) {
    if (mp_obj_is_small_int(a) && mp_obj_is_small_int(b)) {
        return MP_OBJ_SMALL_INT_VALUE(a) < MP_OBJ_SMALL_INT_VALUE(b);
    }
    return mp_obj_is_true(mp_binary_op(MP_BINARY_OP_LESS, a, b));
}

// Entry a sorts before entry b.
static bool before(mp_obj_t a, mp_obj_t b) {
    mp_obj_t *x = fields(a), *y = fields(b);
    if (less(x[DEADLINE], y[DEADLINE])) {
        return true;
    }
    return !less(y[DEADLINE], x[DEADLINE]) && less(x[SEQ], y[SEQ]);
}

static mp_obj_t heap_push(mp_obj_t heap_in, mp_obj_t entry) {
    mp_obj_list_append(heap_in, entry);  // the one allocation, first
    mp_obj_list_t *heap = MP_OBJ_TO_PTR(heap_in);
    size_t i = heap->len - 1;
    while (i) {
        size_t parent = (i - 1) >> 1;
        mp_obj_t up = heap->items[parent];
        if (before(up, entry)) {
            break;
        }
        heap->items[i] = up;
        i = parent;
    }
    heap->items[i] = entry;
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_2(timer_heap_push_obj, heap_push);

static mp_obj_t heap_pop(mp_obj_t heap_in) {
    mp_obj_list_t *heap = MP_OBJ_TO_PTR(heap_in);
    if (heap->len == 0) {
        mp_raise_msg(&mp_type_IndexError, MP_ERROR_TEXT("pop from an empty timer heap"));
    }
    mp_obj_t last = heap->items[--heap->len];
    heap->items[heap->len] = MP_OBJ_NULL;
    if (heap->alloc > LIST_MIN_ALLOC && heap->alloc > 2 * heap->len) {
        // list.pop() gives back half the room here too (py/objlist.c)
        heap->items = m_renew(mp_obj_t, heap->items, heap->alloc, heap->alloc / 2);
        heap->alloc /= 2;
    }
    if (heap->len == 0) {
        return last;
    }
    mp_obj_t top = heap->items[0];
    size_t n = heap->len;
    size_t i = 0;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n) {
            break;
        }
        mp_obj_t low = heap->items[child];
        if (child + 1 < n && before(heap->items[child + 1], low)) {
            child += 1;
            low = heap->items[child];
        }
        if (before(last, low)) {
            break;
        }
        heap->items[i] = low;
        i = child;
    }
    heap->items[i] = last;
    return top;
}
MP_DEFINE_CONST_FUN_OBJ_1(timer_heap_pop_obj, heap_pop);
