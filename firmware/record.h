// A process's record and its mailbox (record.c), and the run queues that
// hold records (runq.c), for _runtime's table.
#ifndef FIRMWARE_RECORD_H
#define FIRMWARE_RECORD_H

#include "py/obj.h"
#include "py/objlist.h"

enum { STATUS_RUNNABLE, STATUS_EXITING, STATUS_RECEIVING, STATUS_SELECTING, STATUS_SLEEPING,
       STATUS_DEAD, STATUS_COUNT };


// record_term(i): the objects configure_records was given.
enum { TERM_START = STATUS_COUNT, TERM_RESCAN, TERM_NOVALUE, TERM_COUNT };
mp_obj_t record_term(size_t i);

// The fields few processes set share one block (record.c names them).
#define RARE_COUNT (8)
#define RARE_PATTERNS (0)
#define RARE_MAX_QUEUE (7)

typedef struct {
    mp_obj_t fields[RARE_COUNT];
} record_rare_t;

typedef struct {
    mp_obj_base_t base;
    mp_obj_t pid;
    mp_obj_t coro;
    mp_obj_t fn;
    mp_obj_t result;
    mp_obj_t mailbox;     // a list, or None
    mp_obj_t timer;
    mp_obj_t reductions;
    record_rare_t *rare;  // NULL while every rare field has its default
    uint32_t head;
    uint32_t scanned;
    uint8_t status;
    uint8_t priority;
    uint8_t trap_exit;
    uint8_t reports;
} record_obj_t;

#define LIST_MIN_ALLOC (4)  // the room list.clear() leaves a list (py/objlist.c)

mp_obj_list_t *mailbox_of(record_obj_t *self);
mp_obj_t record_take_oldest(mp_obj_t self_in);
// s.reds += 1 on the scheduler `s`; returns the new count (record.c).
mp_int_t count_reduction(mp_obj_t s);

// runq.c: what runq.RunQueues.make_runnable and requeue do (TypeError if
// `runq` is not a native RunQueues).
void runq_make_runnable(mp_obj_t runq, record_obj_t *p, mp_obj_t value);
void runq_requeue(mp_obj_t runq, record_obj_t *p);

extern const mp_obj_type_t record_type;
extern const mp_obj_type_t runq_type;
extern const mp_obj_type_t sched_trap_type;
extern const mp_obj_type_t sender_type;
extern const mp_obj_type_t pid_type;
extern const mp_obj_type_t ref_type;
// terms.node_number, as configure_pids got it (pid.c).
mp_obj_t pid_node_number(void);
// A Pid's `_proc`: its live record, or None (pid.c).
mp_obj_t pid_proc(mp_obj_t pid);
MP_DECLARE_CONST_FUN_OBJ_2(pid_configure_obj);
MP_DECLARE_CONST_FUN_OBJ_VAR_BETWEEN(record_configure_obj);
MP_DECLARE_CONST_FUN_OBJ_2(record_configure_patterns_obj);
MP_DECLARE_CONST_FUN_OBJ_1(record_set_default_max_queue_obj);
MP_DECLARE_CONST_FUN_OBJ_0(record_default_max_queue_obj);
MP_DECLARE_CONST_FUN_OBJ_2(record_first_match_obj);
MP_DECLARE_CONST_FUN_OBJ_3(record_deliver_obj);
MP_DECLARE_CONST_FUN_OBJ_2(timer_heap_push_obj);
MP_DECLARE_CONST_FUN_OBJ_1(timer_heap_pop_obj);

#endif
