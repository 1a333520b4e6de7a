// Every timer libos needs on SysTick alone: a tick every millisecond (at
// BOARD_TICK_HZ) keeps the clock, and the deadline, the slice budget and the
// user timers are deadlines checked at each tick, so they fire on the first
// tick at or after their time (within a millisecond). The counter is never
// rewritten, so the clock does not drift. For boards whose general-purpose
// timers cannot be relied on (see netduinoplus2's board.h).
#include "board.h"
#include "libos/arch/cortex-m/cortex_m.h"
#include "libos/budget.h"
#include "libos/clock.h"
#include "libos/hw.h"

#define NEVER UINT64_MAX
#define USER_TIMERS 2
#define US_PER_TICK (1000000u / BOARD_TICK_HZ)

static uint32_t reload;
static volatile uint64_t ticks;
// When each timer is next due, in clock_us(); NEVER when stopped.
static volatile uint64_t deadline_due = NEVER;
static volatile uint64_t budget_due = NEVER;
static volatile uint64_t user_due[USER_TIMERS] = {NEVER, NEVER};
static uint32_t user_period_us[USER_TIMERS];

void SysTick_Handler(void) {
    ticks++;
    uint64_t now = ticks * US_PER_TICK;
    if (deadline_due <= now) {
        deadline_due = NEVER;
        deadline_expired();
    }
    if (budget_due <= now) {
        budget_due = NEVER;
        budget_expired();
    }
    for (unsigned n = 0; n < USER_TIMERS; n++) {
        // A period shorter than the tick still counts each period once.
        while (user_due[n] <= now) {
            user_due[n] += user_period_us[n];
            user_timer_expired(n);
        }
    }
}

void hw_clock_init(void) {
    reload = hw_cpu_hz / BOARD_TICK_HZ - 1;
    systick_start(reload);
}

uint64_t hw_clock_us(void) {
    uint64_t t;
    uint32_t value = systick_sample(&ticks, &t);
    return t * US_PER_TICK + (reload - value) / (hw_cpu_hz / 1000000u);
}

static void set_due(volatile uint64_t *due, uint64_t when) {
    uint32_t irq = hw_irq_save();
    *due = when;
    hw_irq_restore(irq);
}

void hw_deadline_init(void) {
}

void hw_deadline_start(uint32_t us) {
    set_due(&deadline_due, hw_clock_us() + us);
}

void hw_deadline_stop(void) {
    set_due(&deadline_due, NEVER);
}

uint32_t hw_deadline_max_us(void) {
    return UINT32_MAX;
}

void hw_budget_init(void) {
}

void hw_budget_start(uint32_t us) {
    set_due(&budget_due, hw_clock_us() + us);
}

void hw_budget_stop(void) {
    set_due(&budget_due, NEVER);
}

uint32_t hw_budget_max_us(void) {
    return UINT32_MAX;
}

unsigned hw_user_timer_count(void) {
    return USER_TIMERS;
}

void hw_user_timer_start(unsigned n, uint32_t period_us) {
    uint32_t irq = hw_irq_save();
    user_period_us[n] = period_us;
    user_due[n] = hw_clock_us() + period_us;
    hw_irq_restore(irq);
}

void hw_user_timer_stop(unsigned n) {
    set_due(&user_due[n], NEVER);
}
