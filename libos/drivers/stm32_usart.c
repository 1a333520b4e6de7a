// STM32F4 USART: the console and the extra UARTs of STM32 boards.
#include "libos/console.h"
#include "libos/drivers/stm32.h"
#include "libos/hw.h"
#include "libos/uart.h"

#define USART_SR(b)  REG32((b) + 0x00)
#define USART_DR(b)  REG32((b) + 0x04)
#define USART_BRR(b) REG32((b) + 0x08)
#define USART_CR1(b) REG32((b) + 0x0C)

#define SR_RXNE (1u << 5)
#define SR_TXE  (1u << 7)
#define CR1_RE     (1u << 2)
#define CR1_TE     (1u << 3)
#define CR1_RXNEIE (1u << 5)
#define CR1_TXEIE  (1u << 7)
#define CR1_UE     (1u << 13)

#define GPIO_BASE(port) (0x40020000u + 0x400u * (uint32_t)((port) - 'A'))
#define GPIO_MODER(b)   REG32((b) + 0x00)
#define GPIO_AFR(b, pin) REG32((b) + 0x20 + 4 * ((pin) / 8))
#define GPIO_MODE_AF 2u
#define AF_USART 7u

#define BAUD 115200u

typedef struct {
    uint32_t base;
    unsigned irq;
    bool apb2;
    unsigned rcc_bit;
    char port;
    unsigned tx_pin;
    unsigned rx_pin;
} stm32_uart_t;

static const stm32_uart_t console = BOARD_CONSOLE;
static const stm32_uart_t uarts[] = BOARD_UARTS;
#define UART_COUNT (sizeof(uarts) / sizeof(uarts[0]))
_Static_assert(UART_COUNT == BOARD_UART_COUNT, "BOARD_UARTS lists BOARD_UART_COUNT UARTs");

static void pin_to_usart(uint32_t gpio, unsigned pin) {
    GPIO_MODER(gpio) = (GPIO_MODER(gpio) & ~(3u << (2 * pin))) | (GPIO_MODE_AF << (2 * pin));
    unsigned shift = 4 * (pin % 8);
    GPIO_AFR(gpio, pin) = (GPIO_AFR(gpio, pin) & ~(0xFu << shift)) | (AF_USART << shift);
}

static void enable(const stm32_uart_t *u, uint32_t irqs) {
    RCC_AHB1ENR |= 1u << (u->port - 'A');
    if (u->apb2) {
        RCC_APB2ENR |= 1u << u->rcc_bit;
    } else {
        RCC_APB1ENR |= 1u << u->rcc_bit;
    }
    uint32_t gpio = GPIO_BASE(u->port);
    pin_to_usart(gpio, u->tx_pin);
    pin_to_usart(gpio, u->rx_pin);
    uint32_t bus_hz = u->apb2 ? stm32_apb2_hz : stm32_apb1_hz;
    USART_BRR(u->base) = (bus_hz + BAUD / 2) / BAUD;
    USART_CR1(u->base) = CR1_UE | CR1_TE | CR1_RE | irqs;
}

static void console_irq(unsigned irq) {
    (void)irq;
    while (USART_SR(console.base) & SR_RXNE) {
        console_received((uint8_t)USART_DR(console.base));
    }
}

void hw_console_init(void) {
    enable(&console, CR1_RXNEIE);
    hw_irq_attach(console.irq, console_irq);
}

void hw_console_write(const char *buf, size_t len) {
    while (len--) {
        while (!(USART_SR(console.base) & SR_TXE)) {
        }
        USART_DR(console.base) = (uint8_t)*buf++;
    }
}

static unsigned uart_of_irq(unsigned irq) {
    for (unsigned i = 0; i < UART_COUNT; i++) {
        if (uarts[i].irq == irq) {
            return i + 1;
        }
    }
    return 0;
}

// Feeds the transmitter while it has room; the TXE interrupt stays enabled
// only while bytes are left to send.
static void send_queued(unsigned n) {
    uint32_t base = uarts[n - 1].base;
    while (USART_SR(base) & SR_TXE) {
        int byte = uart_next_to_send(n);
        if (byte < 0) {
            USART_CR1(base) &= ~CR1_TXEIE;
            return;
        }
        USART_DR(base) = (uint8_t)byte;
    }
    USART_CR1(base) |= CR1_TXEIE;
}

static void uart_irq(unsigned irq) {
    unsigned n = uart_of_irq(irq);
    uint32_t base = uarts[n - 1].base;
    while (USART_SR(base) & SR_RXNE) {
        uart_received(n, (uint8_t)USART_DR(base));
    }
    if (USART_CR1(base) & CR1_TXEIE) {
        send_queued(n);
    }
}

void hw_uart_init(unsigned n) {
    enable(&uarts[n - 1], CR1_RXNEIE);
    hw_irq_attach(uarts[n - 1].irq, uart_irq);
}

void hw_uart_start_tx(unsigned n) {
    uint32_t irq = hw_irq_save();
    send_queued(n);
    hw_irq_restore(irq);
}
