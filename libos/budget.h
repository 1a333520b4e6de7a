// The slice budget: a hardware timer that interrupts code running too long.
//
// budget_arm(us, hook): if budget_disarm() is not called within `us`
// microseconds, the timer's interrupt calls `hook` (the firmware makes it
// schedule a SliceExpired exception inside the running Python code), and
// again every LIBOS_BUDGET_REPEAT_US until disarmed, so code that swallows
// the exception cannot run on. Arming replaces; while armed and not expired
// it costs nothing.
#ifndef LIBOS_BUDGET_H
#define LIBOS_BUDGET_H

#include <stdint.h>

void budget_arm(uint32_t us, void (*hook)(void));
void budget_disarm(void);

// budget_pause() stops the armed budget's clock, budget_resume() starts it
// again with what it had left: the time between does not count. (The
// firmware pauses it while MicroPython collects the heap: that time is the
// heap's size, not the code's; a budget counts what the code does.) Both do
// nothing when no budget is armed; they do not nest.
void budget_pause(void);
void budget_resume(void);

// Called by the board's budget timer interrupt.
void budget_expired(void);

#endif
