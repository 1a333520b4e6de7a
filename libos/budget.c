// The slice budget: see budget.h for the contract.
#include "libos/budget.h"
#include "libos/clock.h"
#include "libos/hw.h"
#include "libos/limits.h"

static void (*volatile expiry_hook)(void);
// When the running period ends, in ticks_us. Kept here, not read back from
// the timer: boards' timers cannot all say what they have left, and the
// posix one counts in coarse ticks, which restarting it after every pause
// would round up again and again. Written with the timer stopped, or by its
// own interrupt (when it re-arms).
static volatile uint32_t deadline;
static uint32_t paused_at;  // ticks_us() when paused
static bool paused;

static void start_period(uint32_t us) {
    deadline = ticks_add(ticks_us(), (int32_t)us);
    hw_budget_start(us);
}

void budget_arm(uint32_t us, void (*hook)(void)) {
    expiry_hook = hook;
    paused = false;
    start_period(us);
}

void budget_disarm(void) {
    hw_budget_stop();
    expiry_hook = NULL;
    paused = false;
}

void budget_pause(void) {
    if (expiry_hook == NULL || paused) {
        return;
    }
    hw_budget_stop();
    paused_at = ticks_us();
    paused = true;
}

void budget_resume(void) {
    if (!paused) {
        return;
    }
    paused = false;
    if (expiry_hook == NULL) {
        return;
    }
    uint32_t now = ticks_us();
    deadline = ticks_add(deadline, ticks_diff(now, paused_at));
    int32_t left = ticks_diff(deadline, now);
    if (left <= 0) {
        budget_expired();  // it ran out just before the pause
    } else {
        hw_budget_start((uint32_t)left);
    }
}

void budget_expired(void) {
    void (*hook)(void) = expiry_hook;
    if (hook != NULL) {
        hook();
        start_period(LIBOS_BUDGET_REPEAT_US);
    }
}
