// The console: see console.h for the contract.
#include "libos/clock.h"
#include "libos/console.h"
#include "libos/hw.h"
#include "libos/limits.h"

// Filled by the receive interrupt, drained by the REPL; indices only grow.
static uint8_t rx_buf[LIBOS_CONSOLE_RX_RING];
static volatile uint32_t rx_head;
static volatile uint32_t rx_tail;
static volatile int interrupt_char = -1;
static void (*volatile interrupt_hook)(void);
static volatile bool closed;

void console_init(void) {
    hw_console_init();
}

void console_write(const char *buf, size_t len) {
    hw_console_write(buf, len);
}

void console_set_interrupt(int c, void (*hook)(void)) {
    interrupt_hook = hook;
    interrupt_char = c;
}

void console_received(uint8_t byte) {
    if (byte == interrupt_char && interrupt_hook != NULL) {
        interrupt_hook();
        idle_wake();
        return;
    }
    uint32_t h = rx_head;
    if (h - __atomic_load_n(&rx_tail, __ATOMIC_ACQUIRE) >= LIBOS_CONSOLE_RX_RING) {
        // Nothing reads the console while the ring is full; a UART with a
        // one-byte holding register (QEMU's) never gets here, because the
        // host stops sending until the byte is taken.
        return;
    }
    rx_buf[h % LIBOS_CONSOLE_RX_RING] = byte;
    __atomic_store_n(&rx_head, h + 1, __ATOMIC_RELEASE);
}

int console_read(void) {
    uint32_t t = rx_tail;
    if (t == __atomic_load_n(&rx_head, __ATOMIC_ACQUIRE)) {
        return -1;
    }
    int byte = rx_buf[t % LIBOS_CONSOLE_RX_RING];
    __atomic_store_n(&rx_tail, t + 1, __ATOMIC_RELEASE);
    return byte;
}

size_t console_any(void) {
    return __atomic_load_n(&rx_head, __ATOMIC_ACQUIRE) - rx_tail;
}

void console_end(void) {
    closed = true;
}

bool console_closed(void) {
    return closed && console_any() == 0;
}

size_t console_room(void) {
    return LIBOS_CONSOLE_RX_RING - console_any();
}
