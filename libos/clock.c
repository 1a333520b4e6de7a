// Time: see clock.h for the contract.
#include "libos/clock.h"
#include "libos/console.h"
#include "libos/event.h"
#include "libos/hw.h"
#include "libos/limits.h"

#define NEVER UINT64_MAX
#define TICKS_MASK (LIBOS_TICKS_PERIOD - 1)
// Offsets that put the first wrap of both tick counters shortly after boot.
#define TICKS_US_AT_BOOT (LIBOS_TICKS_PERIOD - LIBOS_TICKS_FIRST_WRAP_MS * 1000ull)
#define TICKS_MS_AT_BOOT (LIBOS_TICKS_PERIOD - LIBOS_TICKS_FIRST_WRAP_MS)

// Deadlines in clock_us(); NEVER when unset. The deadline timer is always
// programmed for the earlier of the two (invariant kept by reprogram(), with
// interrupts masked).
static volatile uint64_t alarm_deadline = NEVER;
static volatile uint32_t alarm_ticks;   // the t given to alarm_set, posted back
static volatile uint64_t wake_deadline = NEVER;
// Set by idle_wake(), cleared when idle() returns.
static volatile bool woken;
// Periods counted per user timer since it was started.
static volatile uint32_t user_timer_counts[2];

void clock_init(void) {
    hw_clock_init();
    hw_deadline_init();
}

uint64_t clock_us(void) {
    return hw_clock_us();
}

uint32_t ticks_us(void) {
    return (uint32_t)((hw_clock_us() + TICKS_US_AT_BOOT) & TICKS_MASK);
}

uint32_t ticks_ms(void) {
    return (uint32_t)((hw_clock_us() / 1000 + TICKS_MS_AT_BOOT) & TICKS_MASK);
}

uint32_t ticks_add(uint32_t ticks, int32_t delta) {
    return (uint32_t)(ticks + delta) & TICKS_MASK;
}

int32_t ticks_diff(uint32_t end, uint32_t start) {
    // The difference modulo the period, folded into [-period/2, period/2).
    uint32_t half = LIBOS_TICKS_PERIOD / 2;
    return (int32_t)(((end - start + half) & TICKS_MASK)) - (int32_t)half;
}

// Programs the deadline timer for the earlier deadline. Interrupts masked.
static void reprogram(void) {
    uint64_t due = alarm_deadline < wake_deadline ? alarm_deadline : wake_deadline;
    if (due == NEVER) {
        hw_deadline_stop();
        return;
    }
    uint64_t now = hw_clock_us();
    uint64_t wait = due > now ? due - now : 1;
    uint32_t longest = hw_deadline_max_us();
    hw_deadline_start(wait > longest ? longest : (uint32_t)wait);
}

void alarm_set(uint32_t t) {
    uint32_t irq = hw_irq_save();
    int32_t ahead = ticks_diff(t & TICKS_MASK, ticks_us());
    alarm_deadline = hw_clock_us() + (ahead > 0 ? (uint64_t)ahead : 0);
    alarm_ticks = t & TICKS_MASK;
    reprogram();
    hw_irq_restore(irq);
}

void alarm_cancel(void) {
    uint32_t irq = hw_irq_save();
    alarm_deadline = NEVER;
    reprogram();
    hw_irq_restore(irq);
}

void deadline_expired(void) {
    uint64_t now = hw_clock_us();
    if (alarm_deadline <= now) {
        alarm_deadline = NEVER;
        event_post(EVENT_SOURCE_ALARM, alarm_ticks);
    }
    if (wake_deadline <= now) {
        wake_deadline = NEVER;
    }
    // A deadline beyond the timer's reach is reached in several shots.
    reprogram();
}

void idle_wake(void) {
    woken = true;
}

static bool console_waiting(void) {
    return console_any() > 0 || console_closed();
}

static uint64_t idle_total_us;

uint32_t idle_ticks_us(void) {
    return (uint32_t)(idle_total_us & TICKS_MASK);
}

void idle(uint32_t timeout_us, bool console_wakes) {
    uint32_t irq = hw_irq_save();
    uint64_t start = hw_clock_us();
    uint64_t deadline = start + timeout_us;
    wake_deadline = deadline;
    reprogram();
    // Check and wait with interrupts masked: an interrupt arriving between
    // the check and the wait stays pending and ends the wait at once.
    while (!woken && !event_pending() && !(console_wakes && console_waiting())
           && hw_clock_us() < deadline) {
        hw_wait_for_interrupt(deadline);
        hw_irq_restore(irq);
        irq = hw_irq_save();
    }
    woken = false;
    wake_deadline = NEVER;
    reprogram();
    idle_total_us += hw_clock_us() - start;
    hw_irq_restore(irq);
}

void user_timer_set(unsigned n, uint32_t period_us) {
    hw_user_timer_stop(n);
    user_timer_counts[n] = 0;
    if (period_us > 0) {
        hw_user_timer_start(n, period_us);
    }
}

void user_timer_expired(unsigned n) {
    uint32_t count = (user_timer_counts[n] + 1) & TICKS_MASK;
    user_timer_counts[n] = count;
    event_post(EVENT_SOURCE_TIMER0 + n, count);
}
