// Cortex-M start-up: the vector table, the reset handler, interrupt dispatch,
// masking and waiting, reset, and the memory that survives it.
#include <string.h>

#include "board.h"
#include "libos/arch/cortex-m/cortex_m.h"
#include "libos/hw.h"
#include "libos/limits.h"
#include "libos/mem.h"
#include "libos/wdt.h"

// From the linker script.
extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _sheap, _eheap, _sstack, _estack;

void Reset_Handler(void);
void SysTick_Handler(void);
void hw_fault_entry(void);

uint32_t hw_cpu_hz = BOARD_CLOCK_HZ;

static void (*irq_handlers[BOARD_IRQ_COUNT])(unsigned irq);

static void irq_unclaimed(unsigned irq) {
    // Nobody attached it, so it is never enabled.
    (void)irq;
}

static void exception_ignored(void) {
}

// Every external interrupt enters here; IPSR says which one it is.
static void irq_dispatch(void) {
    uint32_t ipsr;
    __asm volatile ("mrs %0, ipsr" : "=r" (ipsr));
    irq_handlers[ipsr - 16](ipsr - 16);
}

// On our boards the NMI is the watchdog's early warning.
static void nmi_handler(void) {
    wdt_expiring();
}

__attribute__((section(".vectors"), used))
static void (*const vectors[16 + BOARD_IRQ_COUNT])(void) = {
    [0] = (void (*)(void))&_estack,
    [1] = Reset_Handler,
    [2] = nmi_handler,
    [3] = hw_fault_entry,       // HardFault
    [4] = hw_fault_entry,       // MemManage
    [5] = hw_fault_entry,       // BusFault
    [6] = hw_fault_entry,       // UsageFault
    [11] = exception_ignored,   // SVCall
    [14] = exception_ignored,   // PendSV
    [15] = SysTick_Handler,
    [16 ... 16 + BOARD_IRQ_COUNT - 1] = irq_dispatch,
};

void Reset_Handler(void) {
    memcpy(&_sdata, &_sidata, (size_t)((char *)&_edata - (char *)&_sdata));
    memset(&_sbss, 0, (size_t)((char *)&_ebss - (char *)&_sbss));
    #if defined(__ARM_FP)
    SCB_CPACR |= 0xFu << 20;    // let the FPU be used (CP10, CP11)
    #endif
    SCB_VTOR = (uint32_t)vectors;
    for (unsigned i = 0; i < BOARD_IRQ_COUNT; i++) {
        irq_handlers[i] = irq_unclaimed;
    }
    libos_main(0, NULL);
    hw_reset();
}

void hw_irq_attach(unsigned irq, void (*handler)(unsigned irq)) {
    irq_handlers[irq] = handler;
    NVIC_IPR8(irq) = LIBOS_IRQ_PRIORITY;
    NVIC_ISER(irq / 32) = 1u << (irq % 32);
}

uint32_t hw_irq_save(void) {
    return primask_disable();
}

void hw_irq_restore(uint32_t state) {
    primask_restore(state);
}

void hw_wait_for_interrupt(uint64_t deadline_us) {
    (void)deadline_us;  // the deadline timer's interrupt ends the wait
    // WFI returns when an interrupt is pending even while PRIMASK masks it.
    __asm volatile ("dsb\n wfi" ::: "memory");
}

void hw_reset(void) {
    __asm volatile ("dsb" ::: "memory");
    SCB_AIRCR = AIRCR_SYSRESET;
    for (;;) {
        __asm volatile ("wfi");
    }
}

// The linker puts .noinit first in RAM and the start-up code leaves it
// alone, so what is written here is still there after a reset.
static uint8_t reset_area[256] __attribute__((section(".noinit"), aligned(8)));

void *hw_reset_record_area(size_t size) {
    return size <= sizeof(reset_area) ? reset_area : NULL;
}

__attribute__((weak)) int hw_reset_flags(void) {
    return -1;
}

__attribute__((weak)) void hw_board_init(void) {
}

void mem_heap(void **start, void **end) {
    *start = &_sheap;
    *end = &_eheap;
}

void mem_init(void) {
    uint32_t *sp;
    __asm volatile ("mov %0, sp" : "=r" (sp));
    // Paint up to a little below the live frame of this function.
    for (uint32_t *p = &_sstack; p < sp - 16; p++) {
        *p = LIBOS_STACK_PAINT;
    }
}

size_t mem_stack_peak(void) {
    uint32_t *p = &_sstack;
    while (p < &_estack && *p == LIBOS_STACK_PAINT) {
        p++;
    }
    return (size_t)((char *)&_estack - (char *)p);
}

size_t mem_stack_size(void) {
    return (size_t)((char *)&_estack - (char *)&_sstack);
}

void *mem_stack_top(void) {
    return &_estack;
}
