// Netduino Plus 2: STM32F405RG, Cortex-M4F at 168 MHz.
//
//  0x00000000 +------------------------+  alias of flash (boot)
//  0x08000000 +------------------------+
//             | flash, 1 MiB           |  vectors, .text, .rodata, the frozen
//             |                        |  image, .data's load copy
//  0x08100000 +------------------------+
//  0x10000000 | CCM RAM, 64 KiB        |  unused: QEMU 7.2 does not model it
//  0x20000000 +------------------------+
//             | SRAM1+SRAM2, 128 KiB   |  .noinit (reset record), .data, .bss,
//             |                        |  the GC heap (the rest), the stack
//  0x20020000 +------------------------+  (QEMU maps 192 KiB here; the real
//                                           part has 128 KiB, so we use 128)
//  0x40000000   APB1: IWDG 0x40003000,
//               USART2 0x40004400, USART3 0x40004800
//  0x40010000   APB2: USART1 0x40011000
//  0x40023800   RCC (QEMU: not modelled, reads 0)
#ifndef BOARD_H
#define BOARD_H

#define BOARD_NAME          "netduinoplus2"
#define BOARD_CPU           "cortex-m4"
// Terminals on the console want "\r\n" line ends.
#define BOARD_CONSOLE_CRLF  1
#define BOARD_CLOCK_HZ      168000000u

// Memory constants are also read by the linker script: no C suffixes.
#define BOARD_FLASH_ORIGIN  0x08000000
#define BOARD_FLASH_BYTES   (1024 * 1024)
#define BOARD_RAM_ORIGIN    0x20000000
#define BOARD_RAM_BYTES     (128 * 1024)
// The heap takes what .data, .bss and the stack leave.
#define BOARD_HEAP_BYTES    0
#define BOARD_STACK_BYTES   (8 * 1024)

// UARTs: {base, IRQ, on APB2 (else APB1), RCC enable bit, GPIO port, TX pin,
// RX pin}; the pins use alternate function 7.
// Console: USART1 on PA9/PA10, the first -serial in QEMU.
#define BOARD_CONSOLE       {0x40011000u, 37, 1, 4, 'A', 9, 10}
// Extra UARTs, libos.uart(1), uart(2): USART2 on PA2/PA3, USART3 on PB10/PB11.
#define BOARD_UART_COUNT    2
#define BOARD_UARTS { \
    {0x40004400u, 38, 0, 17, 'A', 2, 3}, \
    {0x40004800u, 39, 0, 18, 'B', 10, 11}, \
}

// Timers: SysTick alone, ticking every millisecond (systick_timers.c).
// QEMU 7.2's model of TIM2-5 schedules each update event as late as the
// time since boot again, so the general-purpose timers are left alone.
#define BOARD_TICK_HZ       1000

#define BOARD_IWDG_BASE     0x40003000u
#define BOARD_RCC_BASE      0x40023800u

#define BOARD_IRQ_COUNT     82

#endif
