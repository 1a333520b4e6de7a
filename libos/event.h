// Interrupts as events.
//
// An interrupt handler never runs Python: it posts an event (source, value)
// into a fixed-size ring, and Python drains the ring between slices. The
// ring is lock-free with a single producer and a single consumer: every
// handler that posts runs at the same interrupt priority (on posix: every
// signal handler blocks the others), so producers never preempt each other,
// and only the thread that runs Python consumes.
//
// Only claimed sources post. When the ring is full the event is dropped and
// counted; a handler never blocks.
#ifndef LIBOS_EVENT_H
#define LIBOS_EVENT_H

#include <stdbool.h>
#include <stdint.h>

// Source ids: the alarm, the user timers, then one per extra UART.
enum {
    EVENT_SOURCE_ALARM = 0,
    EVENT_SOURCE_TIMER0 = 1,
    EVENT_SOURCE_TIMER1 = 2,
    EVENT_SOURCE_UART1 = 3, // uart n is EVENT_SOURCE_UART1 + n - 1
};
// Boards with streams (BOARD_STREAMS in board.h) have one more source,
// 'stream', after their UARTs; its value is the stream's id.
#define EVENT_SOURCE_STREAM (EVENT_SOURCE_UART1 + BOARD_UART_COUNT)

typedef struct {
    uint32_t source;
    uint32_t value;
} event_t;

// The board's sources by name, in id order; event_source_count() of them.
unsigned event_source_count(void);
const char *event_source_name(unsigned source);
// Returns the id for a name, or -1 when the board has no such source.
int event_source_find(const char *name);

void event_claim(unsigned source);
void event_release(unsigned source);
bool event_claimed(unsigned source);

// From interrupt handlers only. Returns false when the event was dropped.
bool event_post(unsigned source, uint32_t value);

// From the Python thread only. Returns false when the ring is empty.
bool event_take(event_t *out);
bool event_pending(void);
uint32_t event_dropped(void);

#endif
