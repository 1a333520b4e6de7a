// Every fixed size in libos, in one place, with the reason for its value.
#ifndef LIBOS_LIMITS_H
#define LIBOS_LIMITS_H

// Ticks wrap at 2**30, as MicroPython's ticks do on a 32-bit port: the
// largest period whose values are all small ints, so reading the clock never
// allocates.
#define LIBOS_TICKS_PERIOD          (1ul << 30)

// The clock starts this close to its first wrap (as Linux starts jiffies
// just before theirs), so every run exercises wrap handling within seconds.
#define LIBOS_TICKS_FIRST_WRAP_MS   5000u

// Interrupt events waiting for Python. A slice is short and the scheduler
// drains the ring between slices; 64 events absorb a burst from every source
// at once. Must be a power of two.
#define LIBOS_EVENT_RING            64u

// Console input waiting for the REPL: a pasted line or a raw-paste window.
#define LIBOS_CONSOLE_RX_RING       256u

// UART rings. At 115200 baud 11.5 bytes arrive per millisecond; 2 KiB holds
// 170 ms of continuous input, longer than any slice the budget allows.
#define LIBOS_UART_RX_RING          2048u
#define LIBOS_UART_TX_RING          512u

// After a slice budget expires, SliceExpired is raised again this often
// while the budget stays armed: code that swallows it cannot run on.
#define LIBOS_BUDGET_REPEAT_US      10000u

// A reset reason longer than this is refused, not truncated.
#define LIBOS_RESET_REASON_MAX      120u

// Painted over the unused stack at boot so the high-water mark can be read.
#define LIBOS_STACK_PAINT           0x5a5a5a5au

#endif
