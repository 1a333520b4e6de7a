// Streams on posix (see libos/stream.h): each one a non-blocking TCP socket
// that raises SIGIO, as the inputs in io.c do. The SIGIO handler and idle's
// wait look at the armed streams and post; the calls here re-arm them.
//
// The table is shared by the Python thread and the handler: both touch it
// only with the interrupt signals masked, so neither sees the other's work
// half done, and every post comes from code that runs masked (event.h's
// single producer).
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "board.h"
#include "libos/arch/posix/posix.h"
#include "libos/event.h"
#include "libos/hw.h"
#include "libos/stream.h"

// Connections the host queues for a listening stream before it accepts.
#define LISTEN_BACKLOG 16

typedef struct {
    int fd;                 // the socket; -1 once the stream has ended
    stream_state_t state;
    uint16_t port;          // local, read when the stream was made
    bool armed;             // may post (stream.h)
    bool news;              // a change no poll of the socket shows: a connect
                            // that finished at once, an end a write found
    bool wants_room;        // a write was short: room to write is a change
} stream_t;

static stream_t streams[BOARD_STREAMS];
// Some armed stream may have a change no signal will announce: it was
// re-armed while its condition held, or its event found the ring full or
// the source unclaimed. The next look (stream_look, idle, a signal) sees it.
static volatile bool look_due;

bool stream_address(const char *host, uint32_t *address) {
    struct in_addr in;
    if (inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, &in) != 1) {
        return false;
    }
    *address = in.s_addr;
    return true;
}

// ---- posting ----

static void post(unsigned id) {
    if (event_claimed(EVENT_SOURCE_STREAM) && event_post(EVENT_SOURCE_STREAM, id)) {
        streams[id].armed = false;
        streams[id].news = false;
    } else {
        look_due = true;
    }
}

// A change the socket cannot show later: posted now, or at the next look.
static void tell(unsigned id) {
    streams[id].news = true;
    if (streams[id].armed) {
        post(id);
    }
}

static void rearm(stream_t *s) {
    if (!s->armed) {
        s->armed = true;
        look_due = true;
    }
}

// What makes an armed stream post (POLLERR and POLLHUP always do).
static short interest(const stream_t *s) {
    switch (s->state) {
        case STREAM_LISTENING: return POLLIN;
        case STREAM_CONNECTING: return POLLOUT;
        case STREAM_OPEN: return POLLIN | (s->wants_room ? POLLOUT : 0);
        default: return 0;
    }
}

// ---- states ----

// The socket goes at once; the id stays until stream_close.
static void end(stream_t *s) {
    close(s->fd);
    s->fd = -1;
    s->state = STREAM_CLOSED;
}

static void finish_connect(stream_t *s) {
    int error = 0;
    socklen_t len = sizeof(error);
    if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0) {
        end(s);
    } else {
        s->state = STREAM_OPEN;
    }
}

static bool has(int fd, short events) {
    struct pollfd one = {.fd = fd, .events = events};
    return poll(&one, 1, 0) > 0;
}

// A connect that finished since the last look is seen by whichever call
// looks at the stream first.
static void settle(unsigned id) {
    stream_t *s = &streams[id];
    if (s->state != STREAM_CONNECTING) {
        return;
    }
    if (has(s->fd, POLLOUT)) {
        finish_connect(s);
        tell(id);
    }
}

static int free_id(void) {
    for (unsigned id = 0; id < BOARD_STREAMS; id++) {
        if (streams[id].state == STREAM_FREE) {
            return (int)id;
        }
    }
    return STREAM_TABLE_FULL;
}

static uint16_t local_port(int fd) {
    struct sockaddr_in addr;
    socklen_t len = sizeof(addr);
    return getsockname(fd, (struct sockaddr *)&addr, &len) == 0 ? ntohs(addr.sin_port) : 0;
}

// Enters a socket in the table, armed. What it already had waiting raised no
// signal for us: it is looked at next.
static void take(unsigned id, int fd, stream_state_t state) {
    streams[id] = (stream_t){.fd = fd, .state = state, .port = local_port(fd), .armed = true};
    look_due = true;
}

// Every stream's socket: non-blocking, raising SIGIO, and not inherited by
// the program a reset executes.
static int new_socket(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd >= 0) {
        posix_raise_sigio(fd);
    }
    return fd;
}

static void no_delay(int fd) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

// ---- the calls ----

int stream_listen(uint32_t address, uint16_t port) {
    int id = free_id();
    if (id < 0) {
        return id;
    }
    int fd = new_socket();
    if (fd < 0) {
        return -errno;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = address};
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(fd, LISTEN_BACKLOG) != 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    uint32_t irq = hw_irq_save();
    take((unsigned)id, fd, STREAM_LISTENING);
    hw_irq_restore(irq);
    return id;
}

int stream_connect(uint32_t address, uint16_t port) {
    int id = free_id();
    if (id < 0) {
        return id;
    }
    int fd = new_socket();
    if (fd < 0) {
        return -errno;
    }
    no_delay(fd);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = address};
    // Masked from connect on: its end raises SIGIO, which must find the
    // stream in the table.
    uint32_t irq = hw_irq_save();
    int error = connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0 ? 0 : errno;
    take((unsigned)id, fd, STREAM_CONNECTING);
    if (error != EINPROGRESS) {
        finish_connect(&streams[id]);
        tell((unsigned)id);
    }
    hw_irq_restore(irq);
    return id;
}

int stream_accept(unsigned id) {
    uint32_t irq = hw_irq_save();
    stream_t *s = &streams[id];
    rearm(s);
    int result = free_id();
    if (result >= 0) {
        int fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            no_delay(fd);
            posix_raise_sigio(fd);
            take((unsigned)result, fd, STREAM_OPEN);
        } else {
            // A connection reset before we took it was never there.
            result = errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED ? STREAM_NONE : -errno;
        }
    } else if (!has(s->fd, POLLIN)) {
        result = STREAM_NONE;  // a full table is news only to a waiting connection, which stays queued
    }
    hw_irq_restore(irq);
    return result;
}

size_t stream_waiting(unsigned id) {
    int waiting = 0;
    uint32_t irq = hw_irq_save();
    if (streams[id].state == STREAM_OPEN && ioctl(streams[id].fd, FIONREAD, &waiting) != 0) {
        waiting = 0;
    }
    hw_irq_restore(irq);
    return waiting > 0 ? (size_t)waiting : 0;
}

int stream_read(unsigned id, uint8_t *buf, size_t len) {
    uint32_t irq = hw_irq_save();
    stream_t *s = &streams[id];
    settle(id);
    rearm(s);
    int got = 0;
    if (s->state == STREAM_CLOSED) {
        got = STREAM_ENDED;
    } else if (s->state == STREAM_OPEN) {
        ssize_t received = recv(s->fd, buf, len, MSG_DONTWAIT);
        if (received > 0) {
            got = (int)received;
        } else if (received == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            // The owner learns it from this call: no event.
            end(s);
            got = STREAM_ENDED;
        }
    }
    hw_irq_restore(irq);
    return got;
}

size_t stream_write(unsigned id, const uint8_t *buf, size_t len) {
    uint32_t irq = hw_irq_save();
    stream_t *s = &streams[id];
    settle(id);
    rearm(s);
    size_t took = 0;
    if (s->state == STREAM_OPEN) {
        ssize_t sent = send(s->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (sent >= 0) {
            took = (size_t)sent;
        } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
            // An owner waiting for room would wait for ever: tell it.
            end(s);
            tell(id);
        }
    }
    s->wants_room = s->state != STREAM_CLOSED && took < len;
    hw_irq_restore(irq);
    return took;
}

stream_state_t stream_state(unsigned id) {
    uint32_t irq = hw_irq_save();
    settle(id);
    stream_state_t state = streams[id].state;
    hw_irq_restore(irq);
    return state;
}

uint16_t stream_port(unsigned id) {
    return streams[id].port;
}

void stream_close(unsigned id) {
    uint32_t irq = hw_irq_save();
    if (streams[id].fd >= 0) {
        close(streams[id].fd);
    }
    streams[id] = (stream_t){.fd = -1, .state = STREAM_FREE};
    hw_irq_restore(irq);
}

// ---- looking: from SIGIO, idle and stream_look ----

unsigned posix_stream_fds(struct pollfd fds[BOARD_STREAMS]) {
    unsigned count = 0;
    if (!event_claimed(EVENT_SOURCE_STREAM)) {
        return 0;  // nothing would be posted: waking for it would spin
    }
    for (unsigned id = 0; id < BOARD_STREAMS; id++) {
        const stream_t *s = &streams[id];
        if (s->armed && s->fd >= 0) {
            fds[count++] = (struct pollfd){.fd = s->fd, .events = interest(s)};
        }
    }
    return count;
}

bool posix_streams_look_due(void) {
    return look_due && event_claimed(EVENT_SOURCE_STREAM);
}

void posix_streams_ready(void) {
    if (!event_claimed(EVENT_SOURCE_STREAM)) {
        look_due = true;  // what happens meanwhile is posted once claimed
        return;
    }
    look_due = false;
    struct pollfd fds[BOARD_STREAMS];
    unsigned ids[BOARD_STREAMS];
    unsigned count = 0;
    for (unsigned id = 0; id < BOARD_STREAMS; id++) {
        stream_t *s = &streams[id];
        if (s->armed && s->news) {
            post(id);
        } else if (s->armed && s->fd >= 0) {
            fds[count] = (struct pollfd){.fd = s->fd, .events = interest(s)};
            ids[count++] = id;
        }
    }
    if (count == 0 || poll(fds, count, 0) <= 0) {
        return;
    }
    for (unsigned i = 0; i < count; i++) {
        if (fds[i].revents != 0) {
            if (streams[ids[i]].state == STREAM_CONNECTING) {
                finish_connect(&streams[ids[i]]);
            }
            post(ids[i]);
        }
    }
}

void stream_look(void) {
    if (posix_streams_look_due()) {
        uint32_t irq = hw_irq_save();
        posix_streams_ready();
        hw_irq_restore(irq);
    }
}
