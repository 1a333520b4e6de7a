// Fault handlers: HardFault, MemManage, BusFault and UsageFault print where
// the CPU was and the fault status registers on the console, record the
// cause 'fault' with the same text as reason, and reset the board.
#include <string.h>

#include "libos/arch/cortex-m/cortex_m.h"
#include "libos/hw.h"
#include "libos/reset.h"

void hw_fault_report(const uint32_t *frame, uint32_t ipsr);

// Finds the stacked registers (main or process stack, by EXC_RETURN bit 2)
// and hands them on; no C runs before, so nothing more can be pushed onto a
// stack that may be the problem.
__attribute__((naked)) void hw_fault_entry(void) {
    __asm volatile (
        "tst lr, #4\n"
        "ite eq\n"
        "mrseq r0, msp\n"
        "mrsne r0, psp\n"
        "mrs r1, ipsr\n"
        "b hw_fault_report\n");
}

void hw_fault_init(void) {
    SCB_SHCSR |= SHCSR_FAULTS_ENABLE;
}

static const char *fault_name(uint32_t ipsr) {
    switch (ipsr) {
        case 3: return "HardFault";
        case 4: return "MemManage";
        case 5: return "BusFault";
        default: return "UsageFault";
    }
}

// Appends " name=0x%08x" to text; no stdio in a fault handler.
static size_t append_hex(char *text, size_t len, const char *name, uint32_t value) {
    text[len++] = ' ';
    while (*name) {
        text[len++] = *name++;
    }
    text[len++] = '=';
    text[len++] = '0';
    text[len++] = 'x';
    for (int shift = 28; shift >= 0; shift -= 4) {
        text[len++] = "0123456789abcdef"[(value >> shift) & 0xF];
    }
    return len;
}

__attribute__((noreturn)) void hw_fault_report(const uint32_t *frame, uint32_t ipsr) {
    // Stacked frame: r0 r1 r2 r3 r12 lr pc xpsr.
    char text[128];
    size_t len = strlen(fault_name(ipsr));
    memcpy(text, fault_name(ipsr), len);
    len = append_hex(text, len, "pc", frame[6]);
    len = append_hex(text, len, "lr", frame[5]);
    len = append_hex(text, len, "xpsr", frame[7]);
    len = append_hex(text, len, "cfsr", SCB_CFSR);
    len = append_hex(text, len, "hfsr", SCB_HFSR);
    len = append_hex(text, len, "mmfar", SCB_MMFAR);
    len = append_hex(text, len, "bfar", SCB_BFAR);
    reset_for_fault(text, len);
}
