// Cortex-M system registers used by libos (ARMv7-M architecture manual).
#ifndef LIBOS_CORTEX_M_H
#define LIBOS_CORTEX_M_H

#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t *)(addr))

#define SYST_CSR    REG32(0xE000E010u)
#define SYST_RVR    REG32(0xE000E014u)
#define SYST_CVR    REG32(0xE000E018u)
#define NVIC_ISER(n) REG32(0xE000E100u + 4 * (n))
#define NVIC_IPR8(n) (*(volatile uint8_t *)(0xE000E400u + (n)))
#define SCB_ICSR    REG32(0xE000ED04u)
#define SCB_VTOR    REG32(0xE000ED08u)
#define SCB_AIRCR   REG32(0xE000ED0Cu)
#define SCB_SHPR3   REG32(0xE000ED20u)
#define SCB_SHCSR   REG32(0xE000ED24u)
#define SCB_CFSR    REG32(0xE000ED28u)
#define SCB_HFSR    REG32(0xE000ED2Cu)
#define SCB_MMFAR   REG32(0xE000ED34u)
#define SCB_BFAR    REG32(0xE000ED38u)
#define SCB_CPACR   REG32(0xE000ED88u)

#define ICSR_PENDSTSET (1u << 26)
#define SYST_CSR_ENABLE_CORE_CLOCK_IRQ 0x7u
#define SHPR3_SYSTICK_SHIFT 24
#define AIRCR_SYSRESET (0x05FA0000u | (1u << 2))
#define SHCSR_FAULTS_ENABLE ((1u << 16) | (1u << 17) | (1u << 18))

// Every interrupt that calls into libos runs at this one priority (hw.h).
#define LIBOS_IRQ_PRIORITY 0x80u

// Masks interrupts (PRIMASK); returns the previous mask for primask_restore.
// Inline: the clock read below masks on every call.
static inline uint32_t primask_disable(void) {
    uint32_t primask;
    __asm volatile ("mrs %0, primask\n cpsid i" : "=r" (primask) :: "memory");
    return primask;
}

static inline void primask_restore(uint32_t primask) {
    __asm volatile ("msr primask, %0" :: "r" (primask) : "memory");
}

// Starts SysTick counting down from `reload` at the core clock, its
// interrupt at libos's priority.
static inline void systick_start(uint32_t reload) {
    SCB_SHPR3 = (SCB_SHPR3 & ~(0xFFu << SHPR3_SYSTICK_SHIFT))
                | (LIBOS_IRQ_PRIORITY << SHPR3_SYSTICK_SHIFT);
    SYST_RVR = reload;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE_CORE_CLOCK_IRQ;
}

// Reads a SysTick-driven clock consistently: the periods its interrupt has
// counted (*periods) and the down-counter's value within the current one.
// A wrap between the two reads leaves the SysTick interrupt pending (it
// cannot run while masked): it is counted here.
static inline uint32_t systick_sample(volatile uint64_t *counted, uint64_t *periods) {
    uint32_t primask = primask_disable();
    uint64_t count = *counted;
    uint32_t value = SYST_CVR;
    if (SCB_ICSR & ICSR_PENDSTSET) {
        value = SYST_CVR;
        count++;
    }
    primask_restore(primask);
    *periods = count;
    return value;
}

#endif
