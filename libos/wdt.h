// The hardware watchdog: once started it resets the board unless fed.
//
// Where the hardware gives an early warning (the CMSDK watchdog's NMI), the
// warning records the cause 'watchdog' and resets; elsewhere the hardware
// resets by itself and its reset flags tell why (the STM32's RCC_CSR).
#ifndef LIBOS_WDT_H
#define LIBOS_WDT_H

#include <stdint.h>

// Largest timeout the board's watchdog can count.
uint32_t wdt_max_ms(void);
void wdt_start(uint32_t timeout_ms);
void wdt_feed(void);
// The timeout it was started with; 0 while it has not been started.
uint32_t wdt_timeout_ms(void);

// Called by the board's watchdog early warning: records and resets.
__attribute__((noreturn)) void wdt_expiring(void);

#endif
