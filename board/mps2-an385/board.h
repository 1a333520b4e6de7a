// ARM MPS2 + AN385 (Cortex-M3, 25 MHz), as QEMU 7.2 models it.
//
//  0x00000000 +------------------------+
//             | SSRAM1, 4 MiB          |  code: vectors, .text, .rodata,
//             |                        |  the frozen image, .data's load copy
//  0x00400000 +------------------------+
//                 ...
//  0x20000000 +------------------------+
//             | SSRAM2/3, 4 MiB        |  .noinit (reset record), .data, .bss,
//             |                        |  the GC heap (BOARD_HEAP_BYTES), the stack
//  0x20400000 +------------------------+
//  0x21000000 | PSRAM, 16 MiB (unused) |
//  0x40000000 +------------------------+
//             | CMSDK APB peripherals  |  timer0 0x40000000, timer1 0x40001000,
//             |                        |  dual timer 0x40002000, UART0-2 0x40004000
//             |                        |  + 0x1000 n, UART3 0x40007000, watchdog
//             |                        |  0x40008000, UART4 0x40009000
//             +------------------------+
#ifndef BOARD_H
#define BOARD_H

#define BOARD_NAME          "mps2-an385"
#define BOARD_CPU           "cortex-m3"
// Terminals on the console want "\r\n" line ends.
#define BOARD_CONSOLE_CRLF  1
#define BOARD_CLOCK_HZ      25000000u

// Memory constants are also read by the linker script: no C suffixes.
#define BOARD_FLASH_ORIGIN  0x00000000
#define BOARD_FLASH_BYTES   (4 * 1024 * 1024)
#define BOARD_RAM_ORIGIN    0x20000000
#define BOARD_RAM_BYTES     (4 * 1024 * 1024)
// A mid-sized microcontroller's worth of heap, not the whole 4 MiB: figures
// measured here should mean something on real parts.
#define BOARD_HEAP_BYTES    (1024 * 1024)
#define BOARD_STACK_BYTES   (32 * 1024)

// Console: UART0, the first -serial in QEMU.
#define BOARD_CONSOLE_BASE  0x40004000u
#define BOARD_CONSOLE_RX_IRQ 0

// Extra UARTs, libos.uart(1) .. uart(4): base, RX IRQ, TX IRQ.
#define BOARD_UART_COUNT    4
#define BOARD_UARTS { \
    {0x40005000u, 2, 3}, \
    {0x40006000u, 4, 5}, \
    {0x40007000u, 18, 19}, \
    {0x40009000u, 20, 21}, \
}

// Timers count down at the peripheral clock. The two CMSDK timers serve
// libos itself (the deadline behind alarm() and idle(), the slice budget);
// the dual timer's two channels (SP804 layout, one shared IRQ) are the
// event sources 'timer0' and 'timer1'.
#define BOARD_TIMER_HZ      BOARD_CLOCK_HZ
#define BOARD_DEADLINE_TIMER 0x40000000u
#define BOARD_DEADLINE_IRQ  8
#define BOARD_BUDGET_TIMER  0x40001000u
#define BOARD_BUDGET_IRQ    9
#define BOARD_USER_TIMERS   {0x40002000u, 0x40002020u}
#define BOARD_USER_TIMER_IRQ 10

#define BOARD_WDT_BASE      0x40008000u
#define BOARD_WDT_HZ        BOARD_CLOCK_HZ

#define BOARD_IRQ_COUNT     32

#endif
