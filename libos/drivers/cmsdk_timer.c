// ARM CMSDK APB timers (32-bit, counting down at the peripheral clock): on
// mps2 boards they are the deadline timer and the slice budget timer.
#include "board.h"
#include "libos/arch/cortex-m/cortex_m.h"
#include "libos/budget.h"
#include "libos/clock.h"
#include "libos/hw.h"

#define TIMER_CTRL(b)      REG32((b) + 0x0)
#define TIMER_VALUE(b)     REG32((b) + 0x4)
#define TIMER_RELOAD(b)    REG32((b) + 0x8)
#define TIMER_INTCLEAR(b)  REG32((b) + 0xC)

#define CTRL_ENABLE (1u << 0)
#define CTRL_IRQ    (1u << 3)
#define TICKS_PER_US (BOARD_TIMER_HZ / 1000000u)

static void stop(uint32_t base) {
    TIMER_CTRL(base) = 0;
    TIMER_INTCLEAR(base) = 1;
}

// On the path of every slice (the budget): the reload value, set once by
// init_one_shot(), is not written again.
static void start_one_shot(uint32_t base, uint32_t us) {
    stop(base);
    TIMER_VALUE(base) = (us ? us : 1) * TICKS_PER_US;
    TIMER_CTRL(base) = CTRL_ENABLE | CTRL_IRQ;
}

// A one-shot's interrupt stops it before the counter, reloaded at zero,
// could come round again.
static void init_one_shot(uint32_t base, unsigned irq, void (*handler)(unsigned irq)) {
    stop(base);
    TIMER_RELOAD(base) = UINT32_MAX;
    hw_irq_attach(irq, handler);
}

static void deadline_irq(unsigned irq) {
    (void)irq;
    stop(BOARD_DEADLINE_TIMER);
    deadline_expired();
}

static void budget_irq(unsigned irq) {
    (void)irq;
    stop(BOARD_BUDGET_TIMER);
    budget_expired();
}

void hw_deadline_init(void) {
    init_one_shot(BOARD_DEADLINE_TIMER, BOARD_DEADLINE_IRQ, deadline_irq);
}

void hw_deadline_start(uint32_t us) {
    start_one_shot(BOARD_DEADLINE_TIMER, us);
}

void hw_deadline_stop(void) {
    stop(BOARD_DEADLINE_TIMER);
}

uint32_t hw_deadline_max_us(void) {
    return UINT32_MAX / TICKS_PER_US;
}

void hw_budget_init(void) {
    init_one_shot(BOARD_BUDGET_TIMER, BOARD_BUDGET_IRQ, budget_irq);
}

void hw_budget_start(uint32_t us) {
    start_one_shot(BOARD_BUDGET_TIMER, us);
}

void hw_budget_stop(void) {
    stop(BOARD_BUDGET_TIMER);
}

uint32_t hw_budget_max_us(void) {
    return UINT32_MAX / TICKS_PER_US;
}
