// Time: a monotonic microsecond clock, wrapping ticks, one alarm, idle.
//
// The clock counts microseconds since boot in 64 bits and never wraps.
// Python sees it as MicroPython's ticks: values modulo LIBOS_TICKS_PERIOD,
// compared with ticks_diff. Reading the ticks never allocates.
//
// One hardware timer, the deadline timer, serves both the alarm and idle's
// timeout: it is always programmed for the earlier of the two.
#ifndef LIBOS_CLOCK_H
#define LIBOS_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

void clock_init(void);
uint64_t clock_us(void);

uint32_t ticks_us(void);
uint32_t ticks_ms(void);
uint32_t ticks_add(uint32_t ticks, int32_t delta);
int32_t ticks_diff(uint32_t end, uint32_t start);

// Arms the one-shot alarm for tick t (in ticks_us); re-arming replaces. At
// expiry the event (EVENT_SOURCE_ALARM, t) is posted. A t already past
// fires at once.
void alarm_set(uint32_t t);
void alarm_cancel(void);

// Sleeps until an event is pending, timeout_us have passed, or idle_wake()
// was called since the last idle returned (Ctrl-C on the console does, so a
// KeyboardInterrupt is not held up). With console_wakes, console input (or
// its end) waiting to be read also ends the sleep: the REPL waits so. Never
// busy-waits: the CPU waits for an interrupt.
void idle(uint32_t timeout_us, bool console_wakes);
// From interrupt handlers: the current or next idle() returns.
void idle_wake(void);
// Microseconds spent in idle() since boot, in ticks (modulo
// LIBOS_TICKS_PERIOD): the clock's time less this is the time the CPU
// worked, which under QEMU's -icount shift=0 counts guest instructions
// (one per nanosecond).
uint32_t idle_ticks_us(void);

// Starts ('timer0', 'timer1') posting an event every period_us; 0 stops it.
// The event's value counts the periods since the timer was started.
void user_timer_set(unsigned n, uint32_t period_us);

// Called by the board's deadline timer interrupt.
void deadline_expired(void);
// Called by the board's user timer interrupts.
void user_timer_expired(unsigned n);

#endif
