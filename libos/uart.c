// Extra UARTs: see uart.h for the contract.
#include "board.h"
#include "libos/clock.h"
#include "libos/event.h"
#include "libos/hw.h"
#include "libos/limits.h"
#include "libos/uart.h"

// Byte rings, single producer and single consumer each: the receive ring is
// filled by the interrupt and drained by Python, the transmit ring the other
// way round. Indices only grow (modulo 2**32); size is a power of two.
typedef struct {
    volatile uint32_t head;
    volatile uint32_t tail;
} ring_index_t;

typedef struct {
    ring_index_t rx;
    ring_index_t tx;
    volatile uint32_t overruns;
    bool wake_lost; // the last burst's event met a full event ring: post with the next byte
    uint8_t rx_buf[LIBOS_UART_RX_RING];
    uint8_t tx_buf[LIBOS_UART_TX_RING];
} uart_state_t;

static uart_state_t uarts[BOARD_UART_COUNT];

static uint32_t used(const ring_index_t *r) {
    return __atomic_load_n(&r->head, __ATOMIC_ACQUIRE) - __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
}

unsigned uart_count(void) {
    return BOARD_UART_COUNT;
}

void uart_init(void) {
    for (unsigned n = 1; n <= uart_count(); n++) {
        hw_uart_init(n);
    }
}

size_t uart_write(unsigned n, const uint8_t *buf, size_t len) {
    uart_state_t *u = &uarts[n - 1];
    size_t room = LIBOS_UART_TX_RING - used(&u->tx);
    size_t count = len < room ? len : room;
    uint32_t h = u->tx.head;
    for (size_t i = 0; i < count; i++) {
        u->tx_buf[(h + i) % LIBOS_UART_TX_RING] = buf[i];
    }
    __atomic_store_n(&u->tx.head, h + (uint32_t)count, __ATOMIC_RELEASE);
    if (count > 0) {
        hw_uart_start_tx(n);
    }
    return count;
}

int uart_next_to_send(unsigned n) {
    uart_state_t *u = &uarts[n - 1];
    if (used(&u->tx) == 0) {
        return -1;
    }
    uint32_t t = u->tx.tail;
    uint8_t byte = u->tx_buf[t % LIBOS_UART_TX_RING];
    __atomic_store_n(&u->tx.tail, t + 1, __ATOMIC_RELEASE);
    return byte;
}

void uart_received(unsigned n, uint8_t byte) {
    uart_state_t *u = &uarts[n - 1];
    uint32_t waiting = used(&u->rx);
    if (waiting >= LIBOS_UART_RX_RING) {
        u->overruns++;
        return;
    }
    uint32_t h = u->rx.head;
    u->rx_buf[h % LIBOS_UART_RX_RING] = byte;
    __atomic_store_n(&u->rx.head, h + 1, __ATOMIC_RELEASE);
    // One event per burst: when the ring goes from empty to not empty, or
    // at the next byte if that one was dropped (else the reader, waiting
    // for it, would wait for ever: the ring is no longer empty).
    if (waiting == 0 || u->wake_lost) {
        u->wake_lost = !event_post(EVENT_SOURCE_UART1 + n - 1, 1);
    }
}

size_t uart_read(unsigned n, uint8_t *buf, size_t len) {
    uart_state_t *u = &uarts[n - 1];
    size_t avail = used(&u->rx);
    size_t count = len < avail ? len : avail;
    uint32_t t = u->rx.tail;
    for (size_t i = 0; i < count; i++) {
        buf[i] = u->rx_buf[(t + i) % LIBOS_UART_RX_RING];
    }
    __atomic_store_n(&u->rx.tail, t + (uint32_t)count, __ATOMIC_RELEASE);
    return count;
}

size_t uart_any(unsigned n) {
    return used(&uarts[n - 1].rx);
}

uint32_t uart_overruns(unsigned n) {
    return uarts[n - 1].overruns;
}

size_t uart_room(unsigned n) {
    return LIBOS_UART_RX_RING - used(&uarts[n - 1].rx);
}
