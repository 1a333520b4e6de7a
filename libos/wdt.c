// The watchdog: see wdt.h for the contract.
#include "libos/reset.h"
#include "libos/hw.h"
#include "libos/wdt.h"

uint32_t wdt_max_ms(void) {
    return hw_wdt_max_ms();
}

static uint32_t started_ms;

void wdt_start(uint32_t timeout_ms) {
    started_ms = timeout_ms;
    hw_wdt_start(timeout_ms);
}

uint32_t wdt_timeout_ms(void) {
    return started_ms;
}

void wdt_feed(void) {
    hw_wdt_feed();
}

void wdt_expiring(void) {
    reset_board(RESET_WATCHDOG, NULL, 0);
}
