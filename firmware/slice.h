// The end of a slice, as the running Python code sees it: SliceExpired
// raised inside it when its budget runs out (libos/budget.h); and what may
// interrupt a process's slice (modruntime.c's runner) and what may not.
//
// There is one SliceExpired instance, made before any budget can expire (an
// interrupt handler cannot allocate). It lives among MicroPython's root
// pointers, so the traceback the VM hangs on it while it propagates (from
// the heap) is kept alive as long as the exception is; each raise starts a
// new traceback.
#ifndef FIRMWARE_SLICE_H
#define FIRMWARE_SLICE_H

#include "py/obj.h"

extern const mp_obj_type_t libos_type_SliceExpired;

// Makes the SliceExpired instance; once per MicroPython start (after mp_init).
void slice_init(void);

// Raises SliceExpired in the running Python code at its next bytecode
// boundary. Interrupt-safe.
void slice_raise(void);

// Drops a SliceExpired that was scheduled but not raised yet (the slice
// ended in time after all), leaving a pending Ctrl-C in place.
void slice_drop_pending(void);

// Ctrl-C interrupts the system, never a process: while the runner runs a
// process's slice (between slice_enter and slice_leave) a Ctrl-C waits, and
// is raised when the slice ends, in the scheduler, which lets it out of
// run() or step() to the REPL. slice_keyboard_interrupt is the console's
// Ctrl-C hook (interrupt-safe).
void slice_enter(void);
void slice_leave(void);
void slice_keyboard_interrupt(void);

#endif
