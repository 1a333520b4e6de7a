// The function the REPL calls while it waits for a key: the runtime's
// scheduler, so that a live system keeps running under the prompt.
#ifndef FIRMWARE_REPL_HOOK_H
#define FIRMWARE_REPL_HOOK_H

#include "py/obj.h"

// hook: a callable returning how many microseconds the REPL may sleep before
// calling it again (None: until input or an event; 0: at once), or
// MP_OBJ_NULL for none.
void repl_hook_set(mp_obj_t hook);

#endif
