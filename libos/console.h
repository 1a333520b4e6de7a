// The console: the board's first UART, where the REPL lives.
//
// Output blocks until the UART takes each byte (the REPL's output must not be
// lost). Input is interrupt-driven into a ring so that Ctrl-C is seen while
// Python runs: the receive interrupt calls the interrupt hook for it.
#ifndef LIBOS_CONSOLE_H
#define LIBOS_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void console_init(void);
void console_write(const char *buf, size_t len);
// The next input byte, or -1 when none is waiting.
int console_read(void);
size_t console_any(void);
// Whether input has ended for good (posix: stdin reached end of file).
bool console_closed(void);

// When `c` arrives, `hook` runs in the interrupt handler instead of the byte
// being queued; c = -1 turns it off.
void console_set_interrupt(int c, void (*hook)(void));

// Called by the board's console receive interrupt.
void console_received(uint8_t byte);
// Room left in the input ring: a board whose source can hold bytes back
// (a pipe on posix) takes no more than this.
size_t console_room(void);
// Called by the board when no more input will come.
void console_end(void);

#endif
