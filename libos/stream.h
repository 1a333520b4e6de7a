// Byte streams: TCP over the host's sockets, on the boards that have them
// (BOARD_STREAMS in board.h: the posix board). IPv4 only.
//
// A stream is an id, 0 .. BOARD_STREAMS - 1, taken by stream_listen,
// stream_connect or stream_accept and given back by stream_close (ids are
// reused). Nothing blocks: reads take what is waiting, writes what the host
// accepts now, and a connect finishes later.
//
// Events: the source EVENT_SOURCE_STREAM posts (source, id) when something
// changed for the stream (data or an end to read, a connection to accept, a
// connect finished, room to write after a short write). A stream is armed
// when made and re-armed by every stream_read, stream_accept and
// stream_write on it; it posts at most once while armed, so an owner that
// does not look gets one event, not a storm. A re-armed stream whose
// condition still holds posts again at the next look: a signal, an idle
// wait, or stream_look (called before the ring is drained). An event the
// ring had no room for is posted at the next look: a wake-up is never lost.
#ifndef LIBOS_STREAM_H
#define LIBOS_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    STREAM_FREE,        // no such stream
    STREAM_LISTENING,
    STREAM_CONNECTING,
    STREAM_OPEN,
    STREAM_CLOSED,      // ended (by the peer, an error, or a failed connect)
} stream_state_t;

// Results that are no byte count, id or -errno: below -4095, the lowest
// errno Linux returns.
enum {
    STREAM_TABLE_FULL = -4096,  // every id is taken
    STREAM_NONE = -4097,        // stream_accept: no connection is waiting
    STREAM_ENDED = -4098,       // stream_read: the stream has ended
};

// `host` as an IPv4 address in network order: a dotted quad or "localhost".
bool stream_address(const char *host, uint32_t *address);

// Return the new stream's id, STREAM_TABLE_FULL, or -errno from the host.
// A connect that fails later (or at once) leaves a closed stream and posts.
int stream_listen(uint32_t address, uint16_t port);
int stream_connect(uint32_t address, uint16_t port);
// On a listening stream: the new open stream's id, STREAM_NONE,
// STREAM_TABLE_FULL (the connection stays waiting) or -errno.
int stream_accept(unsigned id);

// On a connecting, open or closed stream: the bytes read into `buf` (0
// when none are waiting) or STREAM_ENDED.
int stream_read(unsigned id, uint8_t *buf, size_t len);
// Bytes waiting to be read (a hint for sizing the buffer).
size_t stream_waiting(unsigned id);
// On a connecting, open or closed stream: the bytes the host took now, maybe
// fewer than `len` (then room to write posts). A peer that went away closes
// the stream, posts, and takes nothing.
size_t stream_write(unsigned id, const uint8_t *buf, size_t len);

stream_state_t stream_state(unsigned id);
// The local port the stream was bound to when it was made.
uint16_t stream_port(unsigned id);
// Closes the stream and frees its id.
void stream_close(unsigned id);

// Looks at re-armed streams and posts what a signal would not announce (the
// condition held before re-arming) or what the ring had no room for.
void stream_look(void);

#endif
