// Time on posix: the clock from CLOCK_MONOTONIC, and every hardware timer
// (deadline, slice budget, the two user timers, the watchdog) a POSIX timer
// whose signal carries which one it is. The slice budget counts the CPU time
// the process uses, not the time that passes: on a busy host a slice must not
// be cut for the time the process spent waiting for a CPU (on a device the two
// are the same).
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "libos/arch/posix/posix.h"
#include "libos/budget.h"
#include "libos/clock.h"
#include "libos/hw.h"
#include "libos/wdt.h"

enum { TIMER_DEADLINE, TIMER_BUDGET, TIMER_USER0, TIMER_USER1, TIMER_WDT, TIMER_COUNT };

static timer_t timers[TIMER_COUNT];
static uint64_t boot_ns;

// The budget counts ticks of process CPU time: a POSIX timer on the CPU-time
// clock fires every BUDGET_TICK_US of CPU the process uses (never while it
// sleeps), and a budget runs out when enough ticks have passed since it was
// armed. Arming is then a store, no system call (a timer set per slice, or a
// CPU clock read per slice, would cost as much as the slice on this host).
#define NEVER UINT64_MAX
#define BUDGET_TICK_US 2000u
static volatile uint64_t cpu_ticks;
static volatile uint64_t budget_due = NEVER;   // in cpu_ticks

static uint64_t monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void cpu_tick(void) {
    cpu_ticks++;
    if (cpu_ticks >= budget_due) {
        budget_due = NEVER;
        budget_expired();
    }
}

static void timer_signal(int sig, siginfo_t *info, void *context) {
    (void)sig;
    (void)context;
    switch (info->si_value.sival_int) {
        case TIMER_DEADLINE: deadline_expired(); break;
        case TIMER_BUDGET: cpu_tick(); break;
        case TIMER_USER0: user_timer_expired(0); break;
        case TIMER_USER1: user_timer_expired(1); break;
        case TIMER_WDT: wdt_expiring(); break;
    }
}

void hw_clock_init(void) {
    boot_ns = monotonic_ns();
    posix_on_signal(SIGNAL_TIMER, timer_signal);
    for (int i = 0; i < TIMER_COUNT; i++) {
        struct sigevent event = {
            .sigev_notify = SIGEV_SIGNAL,
            .sigev_signo = SIGNAL_TIMER,
            .sigev_value.sival_int = i,
        };
        clockid_t clock = i == TIMER_BUDGET ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC;
        if (timer_create(clock, &event, &timers[i]) != 0) {
            perror("libos: timer_create");
            exit(70);
        }
    }
}

uint64_t hw_clock_us(void) {
    return (monotonic_ns() - boot_ns) / 1000u;
}

static void arm(int which, uint64_t us, bool periodic) {
    struct itimerspec spec = {0};
    spec.it_value.tv_sec = (time_t)(us / 1000000u);
    spec.it_value.tv_nsec = (long)(us % 1000000u) * 1000;
    if (us == 0) {
        spec.it_value.tv_nsec = 1000; // 0 would disarm
    }
    if (periodic) {
        spec.it_interval = spec.it_value;
    }
    timer_settime(timers[which], 0, &spec, NULL);
}

static void disarm(int which) {
    struct itimerspec spec = {0};
    timer_settime(timers[which], 0, &spec, NULL);
}

void hw_deadline_init(void) {
}

void hw_deadline_start(uint32_t us) {
    arm(TIMER_DEADLINE, us, false);
}

void hw_deadline_stop(void) {
    disarm(TIMER_DEADLINE);
}

uint32_t hw_deadline_max_us(void) {
    return UINT32_MAX;
}

void hw_budget_init(void) {
    arm(TIMER_BUDGET, BUDGET_TICK_US, true);
}

// A budget of us ends at the tick after us of CPU time have surely passed.
void hw_budget_start(uint32_t us) {
    budget_due = cpu_ticks + (us + BUDGET_TICK_US - 1) / BUDGET_TICK_US + 1;
}

void hw_budget_stop(void) {
    budget_due = NEVER;
}

uint32_t hw_budget_max_us(void) {
    return UINT32_MAX;
}

unsigned hw_user_timer_count(void) {
    return 2;
}

void hw_user_timer_start(unsigned n, uint32_t period_us) {
    arm(TIMER_USER0 + (int)n, period_us, true);
}

void hw_user_timer_stop(unsigned n) {
    disarm(TIMER_USER0 + (int)n);
}

// The watchdog: a timer that resets the board unless fed before it fires.
uint32_t hw_wdt_max_ms(void) {
    return UINT32_MAX / 1000u;
}

void hw_wdt_start(uint32_t timeout_ms) {
    arm(TIMER_WDT, (uint64_t)timeout_ms * 1000u, false);
}

void hw_wdt_feed(void) {
    // Feeding restarts the timer for the timeout libos's wdt.c remembers.
    uint32_t timeout_ms = wdt_timeout_ms();
    if (timeout_ms > 0) {
        hw_wdt_start(timeout_ms);
    }
}
