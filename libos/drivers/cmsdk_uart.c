// ARM CMSDK APB UART: the console and the extra UARTs of mps2 boards.
#include "board.h"
#include "libos/arch/cortex-m/cortex_m.h"
#include "libos/console.h"
#include "libos/hw.h"
#include "libos/uart.h"

#define UART_DATA(b)      REG32((b) + 0x00)
#define UART_STATE(b)     REG32((b) + 0x04)
#define UART_CTRL(b)      REG32((b) + 0x08)
#define UART_INTSTATUS(b) REG32((b) + 0x0C)
#define UART_BAUDDIV(b)   REG32((b) + 0x10)

#define STATE_TX_FULL   (1u << 0)
#define STATE_RX_FULL   (1u << 1)
#define CTRL_TX_EN      (1u << 0)
#define CTRL_RX_EN      (1u << 1)
#define CTRL_TX_IRQ     (1u << 2)
#define CTRL_RX_IRQ     (1u << 3)
#define INT_TX          (1u << 0)
#define INT_RX          (1u << 1)

#define BAUD 115200u

typedef struct {
    uint32_t base;
    unsigned rx_irq;
    unsigned tx_irq;
} cmsdk_uart_t;

static const cmsdk_uart_t uarts[] = BOARD_UARTS;
#define UART_COUNT (sizeof(uarts) / sizeof(uarts[0]))
_Static_assert(UART_COUNT == BOARD_UART_COUNT, "BOARD_UARTS lists BOARD_UART_COUNT UARTs");

// Whether a byte is on its way out, so the next one follows from the TX
// interrupt. Only changed with interrupts masked or in the TX interrupt.
static volatile bool sending[UART_COUNT];

static void enable(uint32_t base, uint32_t irqs) {
    UART_BAUDDIV(base) = BOARD_CLOCK_HZ / BAUD;
    UART_CTRL(base) = CTRL_TX_EN | CTRL_RX_EN | irqs;
}

static void console_rx_irq(unsigned irq) {
    (void)irq;
    UART_INTSTATUS(BOARD_CONSOLE_BASE) = INT_RX;
    while (UART_STATE(BOARD_CONSOLE_BASE) & STATE_RX_FULL) {
        console_received((uint8_t)UART_DATA(BOARD_CONSOLE_BASE));
    }
}

void hw_console_init(void) {
    enable(BOARD_CONSOLE_BASE, CTRL_RX_IRQ);
    hw_irq_attach(BOARD_CONSOLE_RX_IRQ, console_rx_irq);
}

void hw_console_write(const char *buf, size_t len) {
    while (len--) {
        while (UART_STATE(BOARD_CONSOLE_BASE) & STATE_TX_FULL) {
        }
        UART_DATA(BOARD_CONSOLE_BASE) = (uint8_t)*buf++;
    }
}

// The UART (1-based) whose RX or TX interrupt this is.
static unsigned uart_of_irq(unsigned irq) {
    for (unsigned i = 0; i < UART_COUNT; i++) {
        if (uarts[i].rx_irq == irq || uarts[i].tx_irq == irq) {
            return i + 1;
        }
    }
    return 0;
}

// Sends the next queued byte, or notes that sending has stopped.
static void send_next(unsigned n) {
    int byte = uart_next_to_send(n);
    sending[n - 1] = byte >= 0;
    if (byte >= 0) {
        UART_DATA(uarts[n - 1].base) = (uint8_t)byte;
    }
}

static void uart_irq(unsigned irq) {
    unsigned n = uart_of_irq(irq);
    uint32_t base = uarts[n - 1].base;
    uint32_t pending = UART_INTSTATUS(base);
    UART_INTSTATUS(base) = pending;
    while (UART_STATE(base) & STATE_RX_FULL) {
        uart_received(n, (uint8_t)UART_DATA(base));
    }
    if ((pending & INT_TX) && !(UART_STATE(base) & STATE_TX_FULL)) {
        send_next(n);
    }
}

void hw_uart_init(unsigned n) {
    const cmsdk_uart_t *u = &uarts[n - 1];
    enable(u->base, CTRL_RX_IRQ | CTRL_TX_IRQ);
    hw_irq_attach(u->rx_irq, uart_irq);
    hw_irq_attach(u->tx_irq, uart_irq);
}

void hw_uart_start_tx(unsigned n) {
    uint32_t irq = hw_irq_save();
    // The TX interrupt comes when a byte has gone: with nothing on its way,
    // the first byte must be written here.
    if (!sending[n - 1]) {
        send_next(n);
    }
    hw_irq_restore(irq);
}
