// ARM dual-input timer (SP804 layout, the CMSDK dual timer): its two
// channels are the periodic event sources 'timer0' and 'timer1'.
#include "board.h"
#include "libos/arch/cortex-m/cortex_m.h"
#include "libos/clock.h"
#include "libos/hw.h"

#define SP804_LOAD(b)    REG32((b) + 0x00)
#define SP804_CONTROL(b) REG32((b) + 0x08)
#define SP804_INTCLR(b)  REG32((b) + 0x0C)
#define SP804_MIS(b)     REG32((b) + 0x14)

#define CONTROL_32BIT    (1u << 1)
#define CONTROL_IRQ      (1u << 5)
#define CONTROL_PERIODIC (1u << 6)
#define CONTROL_ENABLE   (1u << 7)
#define TICKS_PER_US (BOARD_TIMER_HZ / 1000000u)

static const uint32_t channels[] = BOARD_USER_TIMERS;
#define CHANNEL_COUNT (sizeof(channels) / sizeof(channels[0]))

static void user_timers_irq(unsigned irq) {
    (void)irq;
    for (unsigned n = 0; n < CHANNEL_COUNT; n++) {
        if (SP804_MIS(channels[n])) {
            SP804_INTCLR(channels[n]) = 1;
            user_timer_expired(n);
        }
    }
}

unsigned hw_user_timer_count(void) {
    return CHANNEL_COUNT;
}

void hw_user_timer_start(unsigned n, uint32_t period_us) {
    static bool attached;
    if (!attached) {
        hw_irq_attach(BOARD_USER_TIMER_IRQ, user_timers_irq);
        attached = true;
    }
    uint32_t base = channels[n];
    SP804_CONTROL(base) = 0;
    SP804_INTCLR(base) = 1;
    SP804_LOAD(base) = period_us * TICKS_PER_US;
    SP804_CONTROL(base) = CONTROL_ENABLE | CONTROL_PERIODIC | CONTROL_IRQ | CONTROL_32BIT;
}

void hw_user_timer_stop(unsigned n) {
    SP804_CONTROL(channels[n]) = 0;
    SP804_INTCLR(channels[n]) = 1;
}
