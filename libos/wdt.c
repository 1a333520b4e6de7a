// The watchdog: see wdt.h for the contract.
#include "libos/reset.h"
#include "libos/hw.h"
#include "libos/wdt.h"

uint32_t wdt_max_ms(void) {
    return hw_wdt_max_ms();
}

void wdt_start(uint32_t timeout_ms) {
    hw_wdt_start(timeout_ms);
}

void wdt_feed(void) {
    hw_wdt_feed();
}

void wdt_expiring(void) {
    reset_board(RESET_WATCHDOG, NULL, 0);
}
