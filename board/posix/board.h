// The posix board: the LibOS over Linux. There is no memory map to draw: the
// GC heap is a static array, the stack the process's own, and the reset
// record lives in a file mapped into memory.
//
//   process image
//   +-------------------------+
//   | .text: firmware + image |
//   | .data/.bss: GC heap     |  BOARD_HEAP_BYTES, as on a device
//   | stack                   |  the main thread's
//   +-------------------------+
//   reset record file  --mmap-->  survives re-exec (our "reset")
#ifndef BOARD_H
#define BOARD_H

#define BOARD_NAME          "posix"
#define BOARD_CPU           "host"
// The console's line ends: devices send "\r\n" to the terminal; on posix
// the host's tty does that.
#define BOARD_CONSOLE_CRLF  0
#define BOARD_CLOCK_HZ      1000000000u
// As many words as mps2-an385's 1 MiB heap holds: a word is 8 bytes here.
#define BOARD_HEAP_BYTES    (2048u * 1024)

// Extra UARTs: uart(1) and uart(2) are wired to each other by default (a
// socket pair); --uartN=pty gives a pty instead.
#define BOARD_UART_COUNT    2

// TCP streams over the host's sockets (libos/stream.h), at most this many at
// once: a node's connections to its peers and its listener, with room to spare.
#define BOARD_STREAMS       32

#endif
