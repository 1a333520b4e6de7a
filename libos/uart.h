// Extra UARTs (uart 1 .. uart_count()), beside the console.
//
// Receive is interrupt-driven into a ring; a byte arriving into an empty ring
// posts the event (EVENT_SOURCE_UART1 + n - 1, bytes waiting) when the source
// is claimed. Transmit never blocks: bytes go into a ring that the transmit
// interrupt drains; uart_write accepts what fits and returns the count.
#ifndef LIBOS_UART_H
#define LIBOS_UART_H

#include <stddef.h>
#include <stdint.h>

unsigned uart_count(void);
void uart_init(void);

size_t uart_write(unsigned n, const uint8_t *buf, size_t len);
size_t uart_read(unsigned n, uint8_t *buf, size_t len);
size_t uart_any(unsigned n);
// Bytes lost because the receive ring was full.
uint32_t uart_overruns(unsigned n);

// Called by the board's UART interrupts.
void uart_received(unsigned n, uint8_t byte);
// The next byte to send, or -1 when the transmit ring is empty.
int uart_next_to_send(unsigned n);
// Room left in the receive ring: a board whose source can hold bytes back
// (a socket on posix) takes no more than this.
size_t uart_room(unsigned n);

#endif
