// The microsecond clock on SysTick, free-running: the 24-bit counter runs at
// the core clock and wraps as slowly as it can (every 2**24 cycles: 0.67 s at
// 25 MHz); its interrupt counts wraps, so idle wakes rarely. For boards whose
// other timers serve the deadline, budget and user timers.
#include "libos/arch/cortex-m/cortex_m.h"
#include "libos/hw.h"

#define SYSTICK_RELOAD 0x00FFFFFFu
#define SYSTICK_ENABLE_CORE_CLOCK_IRQ 0x7u
#define SHPR3_SYSTICK_SHIFT 24

static volatile uint64_t wraps;

void SysTick_Handler(void) {
    wraps++;
}

void hw_clock_init(void) {
    SCB_SHPR3 = (SCB_SHPR3 & ~(0xFFu << SHPR3_SYSTICK_SHIFT))
                | (LIBOS_IRQ_PRIORITY << SHPR3_SYSTICK_SHIFT);
    SYST_RVR = SYSTICK_RELOAD;
    SYST_CVR = 0;
    SYST_CSR = SYSTICK_ENABLE_CORE_CLOCK_IRQ;
}

uint64_t hw_clock_us(void) {
    uint32_t irq = hw_irq_save();
    uint64_t w = wraps;
    uint32_t value = SYST_CVR;
    // A wrap between reading `wraps` and the counter leaves the SysTick
    // interrupt pending (it cannot run while masked): count it here.
    if (SCB_ICSR & ICSR_PENDSTSET) {
        value = SYST_CVR;
        w++;
    }
    hw_irq_restore(irq);
    uint64_t cycles = w * (SYSTICK_RELOAD + 1) + (SYSTICK_RELOAD - value);
    return cycles / (hw_cpu_hz / 1000000u);
}
