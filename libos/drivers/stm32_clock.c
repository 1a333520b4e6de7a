// STM32F405 clock setup: 168 MHz from the PLL (HSE crystal, or HSI when the
// crystal does not start), APB1 at 42 MHz, APB2 at 84 MHz.
//
// Every wait is bounded. QEMU 7.2 does not model the RCC (reads return 0), so
// no ready flag ever rises there: the bounded waits give up, and we recognise
// the emulator by RCC_CR reading 0 (on silicon HSION is set at reset) and
// take QEMU's fixed clock: the core and SysTick at 168 MHz.
#include "libos/drivers/stm32.h"
#include "libos/hw.h"
#include "libos/reset.h"

#define CR_HSION   (1u << 0)
#define CR_HSIRDY  (1u << 1)
#define CR_HSEON   (1u << 16)
#define CR_HSERDY  (1u << 17)
#define CR_PLLON   (1u << 24)
#define CR_PLLRDY  (1u << 25)
#define PLLCFGR_SRC_HSE (1u << 22)
#define CFGR_SW_PLL     0x2u
#define CFGR_SWS_MASK   (0x3u << 2)
#define CFGR_SWS_PLL    (0x2u << 2)
#define CFGR_PPRE1_DIV4 (0x5u << 10)
#define CFGR_PPRE2_DIV2 (0x4u << 13)
#define FLASH_ACR_5WS_CACHES ((1u << 8) | (1u << 9) | (1u << 10) | 5u)

// The Netduino Plus 2's crystal. PLL: VCO in = 1 MHz, VCO = 336 MHz,
// SYSCLK = VCO / 2 = 168 MHz, USB = VCO / 7 = 48 MHz.
#define HSE_HZ 25000000u
#define HSI_HZ 16000000u
#define PLL_N 336u
#define PLL_P_DIV2 0u
#define PLL_Q 7u
#define CORE_HZ 168000000u
// About 10 ms at 16 MHz: crystals start in 2 ms, the PLL locks in 100 us.
#define READY_SPINS 40000u

uint32_t stm32_apb1_hz = HSI_HZ;
uint32_t stm32_apb2_hz = HSI_HZ;

static bool wait_for(volatile uint32_t *reg, uint32_t mask, uint32_t value) {
    for (uint32_t i = 0; i < READY_SPINS; i++) {
        if ((*reg & mask) == value) {
            return true;
        }
    }
    return false;
}

static bool start_pll(void) {
    RCC_CR |= CR_HSEON;
    bool crystal = wait_for(&RCC_CR, CR_HSERDY, CR_HSERDY);
    uint32_t input_mhz = crystal ? HSE_HZ / 1000000u : HSI_HZ / 1000000u;
    RCC_PLLCFGR = input_mhz | (PLL_N << 6) | (PLL_P_DIV2 << 16) | (PLL_Q << 24)
                  | (crystal ? PLLCFGR_SRC_HSE : 0);
    RCC_CR |= CR_PLLON;
    if (!wait_for(&RCC_CR, CR_PLLRDY, CR_PLLRDY)) {
        return false;
    }
    FLASH_ACR = FLASH_ACR_5WS_CACHES;
    RCC_CFGR = CFGR_PPRE1_DIV4 | CFGR_PPRE2_DIV2 | CFGR_SW_PLL;
    return wait_for(&RCC_CFGR, CFGR_SWS_MASK, CFGR_SWS_PLL);
}

void hw_board_init(void) {
    if (RCC_CR == 0) {
        hw_cpu_hz = CORE_HZ;
        return;
    }
    if (start_pll()) {
        hw_cpu_hz = CORE_HZ;
        stm32_apb1_hz = CORE_HZ / 4;
        stm32_apb2_hz = CORE_HZ / 2;
    } else {
        // Stay on the internal oscillator, all buses undivided.
        RCC_CFGR = 0;
        hw_cpu_hz = HSI_HZ;
    }
}

#define CSR_RMVF     (1u << 24)
#define CSR_BORRSTF  (1u << 25)
#define CSR_PINRSTF  (1u << 26)
#define CSR_PORRSTF  (1u << 27)
#define CSR_SFTRSTF  (1u << 28)
#define CSR_IWDGRSTF (1u << 29)
#define CSR_WWDGRSTF (1u << 30)

int hw_reset_flags(void) {
    uint32_t csr = RCC_CSR;
    if (csr == 0) {
        return -1;  // QEMU: the RCC is not there to tell
    }
    RCC_CSR = csr | CSR_RMVF;
    if (csr & (CSR_IWDGRSTF | CSR_WWDGRSTF)) {
        return RESET_WATCHDOG;
    }
    if (csr & (CSR_PORRSTF | CSR_BORRSTF)) {
        return RESET_POWER;
    }
    if (csr & CSR_SFTRSTF) {
        return RESET_SOFTWARE;
    }
    return RESET_POWER;     // the reset pin: someone pressed the button
}
