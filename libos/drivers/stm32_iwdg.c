// STM32F4 independent watchdog (IWDG), clocked by the ~32 kHz LSI. It has
// no early warning: it resets the chip, and RCC_CSR's IWDGRSTF tells the next
// boot why (see stm32_clock.c). QEMU 7.2 does not model the IWDG: there the
// watchdog never fires; on silicon it does.
#include "libos/drivers/stm32.h"
#include "libos/hw.h"

#define IWDG_KR  REG32(BOARD_IWDG_BASE + 0x00)
#define IWDG_PR  REG32(BOARD_IWDG_BASE + 0x04)
#define IWDG_RLR REG32(BOARD_IWDG_BASE + 0x08)
#define IWDG_SR  REG32(BOARD_IWDG_BASE + 0x0C)

#define KEY_START  0xCCCCu
#define KEY_FEED   0xAAAAu
#define KEY_UNLOCK 0x5555u
#define LSI_HZ 32000u
#define RELOAD_MAX 0xFFFu
#define PRESCALER_MAX 6u        // divides by 4 << 6 = 256
#define UPDATE_SPINS 100000u    // PR and RLR take a few LSI cycles to update

uint32_t hw_wdt_max_ms(void) {
    return RELOAD_MAX * (4u << PRESCALER_MAX) * 1000u / LSI_HZ;
}

void hw_wdt_start(uint32_t timeout_ms) {
    // The smallest prescaler whose reload value can count the timeout.
    uint32_t prescaler = 0;
    uint32_t reload = timeout_ms * (LSI_HZ / 1000u) / 4u;
    while (reload > RELOAD_MAX && prescaler < PRESCALER_MAX) {
        prescaler++;
        reload = timeout_ms * (LSI_HZ / 1000u) / (4u << prescaler);
    }
    IWDG_KR = KEY_START;
    IWDG_KR = KEY_UNLOCK;
    IWDG_PR = prescaler;
    IWDG_RLR = reload > RELOAD_MAX ? RELOAD_MAX : reload;
    for (uint32_t i = 0; i < UPDATE_SPINS && IWDG_SR != 0; i++) {
    }
    IWDG_KR = KEY_FEED;
}

void hw_wdt_feed(void) {
    IWDG_KR = KEY_FEED;
}
