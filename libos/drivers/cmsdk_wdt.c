// ARM CMSDK APB watchdog. Its first expiry raises the NMI (the early
// warning: wdt_expiring records the cause, then we reset at once); if the CPU
// cannot take the NMI, the second expiry resets the board in hardware.
#include "board.h"
#include "libos/arch/cortex-m/cortex_m.h"
#include "libos/hw.h"

#define WDOG_LOAD(b)    REG32((b) + 0x000)
#define WDOG_CONTROL(b) REG32((b) + 0x008)
#define WDOG_INTCLR(b)  REG32((b) + 0x00C)
#define WDOG_LOCK(b)    REG32((b) + 0xC00)

#define CONTROL_INTEN (1u << 0)
#define CONTROL_RESEN (1u << 1)
#define UNLOCK_KEY 0x1ACCE551u
#define TICKS_PER_MS (BOARD_WDT_HZ / 1000u)

uint32_t hw_wdt_max_ms(void) {
    return UINT32_MAX / TICKS_PER_MS;
}

void hw_wdt_start(uint32_t timeout_ms) {
    WDOG_LOCK(BOARD_WDT_BASE) = UNLOCK_KEY;
    WDOG_LOAD(BOARD_WDT_BASE) = timeout_ms * TICKS_PER_MS;
    WDOG_CONTROL(BOARD_WDT_BASE) = CONTROL_INTEN | CONTROL_RESEN;
    WDOG_LOCK(BOARD_WDT_BASE) = 0;
}

void hw_wdt_feed(void) {
    // Writing INTCLR clears the warning and reloads the counter.
    WDOG_LOCK(BOARD_WDT_BASE) = UNLOCK_KEY;
    WDOG_INTCLR(BOARD_WDT_BASE) = 1;
    WDOG_LOCK(BOARD_WDT_BASE) = 0;
}
