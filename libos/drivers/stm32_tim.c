// STM32F4 general-purpose timers (TIM2-5): the deadline timer, the slice
// budget timer and the periodic event sources, as board.h assigns them.
// 32-bit timers count microseconds; 16-bit ones count 50 us steps so that a
// one-shot reaches 3.2 s.
#include "libos/budget.h"
#include "libos/clock.h"
#include "libos/drivers/stm32.h"
#include "libos/hw.h"

#define TIM_CR1(b)  REG32((b) + 0x00)
#define TIM_DIER(b) REG32((b) + 0x0C)
#define TIM_SR(b)   REG32((b) + 0x10)
#define TIM_EGR(b)  REG32((b) + 0x14)
#define TIM_CNT(b)  REG32((b) + 0x24)
#define TIM_PSC(b)  REG32((b) + 0x28)
#define TIM_ARR(b)  REG32((b) + 0x2C)

#define CR1_CEN (1u << 0)
#define CR1_URS (1u << 2)   // only overflow sets the update flag, not EGR_UG
#define CR1_OPM (1u << 3)
#define DIER_UIE (1u << 0)
#define EGR_UG (1u << 0)

#define US_PER_TICK_32 1u
#define US_PER_TICK_16 50u

typedef struct {
    uint32_t base;
    unsigned irq;
    unsigned bits;
    unsigned rcc_bit;
} stm32_timer_t;

static const stm32_timer_t deadline = BOARD_DEADLINE_TIMER;
static const stm32_timer_t budget = BOARD_BUDGET_TIMER;
static const stm32_timer_t user_timers[] = BOARD_USER_TIMERS;
#define USER_TIMER_COUNT (sizeof(user_timers) / sizeof(user_timers[0]))

static uint32_t us_per_tick(const stm32_timer_t *t) {
    return t->bits == 32 ? US_PER_TICK_32 : US_PER_TICK_16;
}

static uint32_t max_us(const stm32_timer_t *t) {
    return t->bits == 32 ? UINT32_MAX : 0xFFFFu * US_PER_TICK_16;
}

static void stop(const stm32_timer_t *t) {
    TIM_CR1(t->base) = 0;
    TIM_DIER(t->base) = 0;
    TIM_SR(t->base) = 0;
}

static void start(const stm32_timer_t *t, uint32_t us, bool one_shot) {
    uint32_t ticks = us / us_per_tick(t);
    if (ticks < 2) {
        ticks = 2;
    }
    stop(t);
    TIM_PSC(t->base) = stm32_apb1_timer_hz / (1000000u / us_per_tick(t)) - 1;
    TIM_ARR(t->base) = ticks - 1;
    TIM_CNT(t->base) = 0;
    TIM_CR1(t->base) = CR1_URS;
    TIM_EGR(t->base) = EGR_UG;      // load the prescaler now
    TIM_SR(t->base) = 0;
    TIM_DIER(t->base) = DIER_UIE;
    TIM_CR1(t->base) = CR1_URS | CR1_CEN | (one_shot ? CR1_OPM : 0);
}

static void timer_irq(unsigned irq) {
    if (irq == deadline.irq) {
        stop(&deadline);
        deadline_expired();
    } else if (irq == budget.irq) {
        stop(&budget);
        budget_expired();
    } else {
        for (unsigned n = 0; n < USER_TIMER_COUNT; n++) {
            if (user_timers[n].irq == irq) {
                TIM_SR(user_timers[n].base) = 0;
                user_timer_expired(n);
            }
        }
    }
}

static void attach(const stm32_timer_t *t) {
    RCC_APB1ENR |= 1u << t->rcc_bit;
    stop(t);
    hw_irq_attach(t->irq, timer_irq);
}

void hw_deadline_init(void) {
    attach(&deadline);
}

void hw_deadline_start(uint32_t us) {
    start(&deadline, us, true);
}

void hw_deadline_stop(void) {
    stop(&deadline);
}

uint32_t hw_deadline_max_us(void) {
    return max_us(&deadline);
}

void hw_budget_init(void) {
    attach(&budget);
}

void hw_budget_start(uint32_t us) {
    start(&budget, us, true);
}

void hw_budget_stop(void) {
    stop(&budget);
}

uint32_t hw_budget_max_us(void) {
    return max_us(&budget);
}

unsigned hw_user_timer_count(void) {
    return USER_TIMER_COUNT;
}

void hw_user_timer_start(unsigned n, uint32_t period_us) {
    static bool attached[USER_TIMER_COUNT];
    if (!attached[n]) {
        attach(&user_timers[n]);
        attached[n] = true;
    }
    start(&user_timers[n], period_us, false);
}

void hw_user_timer_stop(unsigned n) {
    stop(&user_timers[n]);
}
