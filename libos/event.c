// The interrupt event ring: see event.h for the contract.
#include <string.h>

#include "board.h"
#include "libos/event.h"
#include "libos/hw.h"
#include "libos/limits.h"

static const char *const source_names[] = {
    "alarm", "timer0", "timer1",
    "uart1", "uart2", "uart3", "uart4", "uart5", "uart6", "uart7", "uart8",
};

// The ring. Invariant: head - tail <= LIBOS_EVENT_RING (both only grow,
// modulo 2**32). Only handlers write `head` and `dropped`; only the Python
// thread writes `tail`. `claimed` is written by the Python thread and read by
// handlers.
static event_t ring[LIBOS_EVENT_RING];
static volatile uint32_t head;
static volatile uint32_t tail;
static volatile uint32_t dropped;
static volatile uint32_t claimed;

unsigned event_source_count(void) {
#ifdef BOARD_STREAMS
    return EVENT_SOURCE_STREAM + 1;
#else
    return EVENT_SOURCE_UART1 + BOARD_UART_COUNT;
#endif
}

const char *event_source_name(unsigned source) {
    if (source >= event_source_count()) {
        return NULL;
    }
#ifdef BOARD_STREAMS
    if (source == EVENT_SOURCE_STREAM) {
        return "stream";
    }
#endif
    return source_names[source];
}

int event_source_find(const char *name) {
    for (unsigned i = 0; i < event_source_count(); i++) {
        if (strcmp(name, event_source_name(i)) == 0) {
            return (int)i;
        }
    }
    return -1;
}

void event_claim(unsigned source) {
    claimed |= 1u << source;
}

void event_release(unsigned source) {
    claimed &= ~(1u << source);
}

bool event_claimed(unsigned source) {
    return (claimed >> source) & 1;
}

bool event_post(unsigned source, uint32_t value) {
    if (!event_claimed(source)) {
        return true;
    }
    uint32_t h = head;
    if (h - __atomic_load_n(&tail, __ATOMIC_ACQUIRE) >= LIBOS_EVENT_RING) {
        dropped++;
        return false;
    }
    ring[h % LIBOS_EVENT_RING] = (event_t){source, value};
    __atomic_store_n(&head, h + 1, __ATOMIC_RELEASE);
    return true;
}

bool event_take(event_t *out) {
    uint32_t t = tail;
    if (t == __atomic_load_n(&head, __ATOMIC_ACQUIRE)) {
        return false;
    }
    *out = ring[t % LIBOS_EVENT_RING];
    __atomic_store_n(&tail, t + 1, __ATOMIC_RELEASE);
    return true;
}

bool event_pending(void) {
    return tail != __atomic_load_n(&head, __ATOMIC_ACQUIRE);
}

uint32_t event_dropped(void) {
    return dropped;
}
