// The microsecond clock on SysTick, free-running: the 24-bit counter runs at
// the core clock and wraps as slowly as it can (every 2**24 cycles: 0.67 s at
// 25 MHz); its interrupt counts wraps, so idle wakes rarely. For boards whose
// other timers serve the deadline, budget and user timers.
#include "libos/arch/cortex-m/cortex_m.h"
#include "libos/hw.h"

#define SYSTICK_RELOAD 0x00FFFFFFu

static volatile uint64_t wraps;

void SysTick_Handler(void) {
    wraps++;
}

void hw_clock_init(void) {
    systick_start(SYSTICK_RELOAD);
}

uint64_t hw_clock_us(void) {
    uint64_t w;
    uint32_t value = systick_sample(&wraps, &w);
    uint64_t cycles = w * (SYSTICK_RELOAD + 1) + (SYSTICK_RELOAD - value);
    return cycles / (hw_cpu_hz / 1000000u);
}
