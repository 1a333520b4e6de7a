// The porting contract: what a CPU family (libos/arch/<arch>/) and a board's
// drivers (libos/drivers/) provide to the portable libos.
//
// Every interrupt handler that calls back into libos (console_received,
// uart_received, uart_next_to_send, deadline_expired, budget_expired,
// user_timer_expired, wdt_expiring) runs at one priority, so none preempts
// another: libos's rings rely on a single producer.
#ifndef LIBOS_HW_H
#define LIBOS_HW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// ---- the program built on libos (the firmware) ----

// Called by the CPU family's entry once memory is set up. Devices pass no
// arguments; the posix board passes its command line. Returns the exit
// status (posix) or never (devices).
int libos_main(int argc, char **argv);

// ---- CPU family (arch) ----

// Masks the interrupts that call into libos; returns the previous state.
uint32_t hw_irq_save(void);
void hw_irq_restore(uint32_t state);
// Called with interrupts masked: waits until an interrupt is pending (it runs
// once the caller restores the mask). Never spins.
void hw_wait_for_interrupt(uint64_t deadline_us);

// The core clock in Hz, as the board's clock setup left it.
extern uint32_t hw_cpu_hz;

// Microseconds since boot; monotonic, never wraps.
void hw_clock_init(void);
uint64_t hw_clock_us(void);

// Devices: connects interrupt `irq` to `handler` (called with the irq number, so one
// driver function serves several devices) and enables it.
void hw_irq_attach(unsigned irq, void (*handler)(unsigned irq));

// Installs the fault handlers (they report, record 'fault' and reset).
void hw_fault_init(void);
__attribute__((noreturn)) void hw_reset(void);

// Memory that survives reset, for the reset record.
void *hw_reset_record_area(size_t size);
// Hardware reset flags: the cause the hardware knows, or -1 if it cannot tell.
int hw_reset_flags(void);

// ---- board drivers ----

void hw_board_init(void);   // clocks, before anything else

void hw_console_init(void);
void hw_console_write(const char *buf, size_t len);

// Extra UARTs 1 .. BOARD_UART_COUNT.
void hw_uart_init(unsigned n);
// Bytes are waiting in libos's transmit ring: start the transmit interrupt.
void hw_uart_start_tx(unsigned n);

// One-shot timers in microseconds; hw_*_max_us is the longest one shot.
void hw_deadline_init(void);
void hw_deadline_start(uint32_t us);
void hw_deadline_stop(void);
uint32_t hw_deadline_max_us(void);

void hw_budget_init(void);
void hw_budget_start(uint32_t us);
void hw_budget_stop(void);
uint32_t hw_budget_max_us(void);

unsigned hw_user_timer_count(void);
void hw_user_timer_start(unsigned n, uint32_t period_us);
void hw_user_timer_stop(unsigned n);

uint32_t hw_wdt_max_ms(void);
void hw_wdt_start(uint32_t timeout_ms);
void hw_wdt_feed(void);

#endif
