// A process's record and its mailbox (record.c), for _runtime's table.
#ifndef FIRMWARE_RECORD_H
#define FIRMWARE_RECORD_H

#include "py/obj.h"

extern const mp_obj_type_t record_type;
MP_DECLARE_CONST_FUN_OBJ_2(record_configure_obj);
MP_DECLARE_CONST_FUN_OBJ_2(record_configure_patterns_obj);
MP_DECLARE_CONST_FUN_OBJ_1(record_set_default_max_queue_obj);
MP_DECLARE_CONST_FUN_OBJ_0(record_default_max_queue_obj);
MP_DECLARE_CONST_FUN_OBJ_2(record_first_match_obj);

#endif
