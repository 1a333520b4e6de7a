// The console and the UARTs on posix. The console is stdin and stdout. Each
// UART is a file descriptor chosen by LIBOS_UART<n>:
//   (unset)          uart(1) and uart(2) are wired to each other (a socket pair)
//   pty              a pseudo-terminal; its name is printed on stderr
//   tcp:HOST:PORT    a TCP connection, e.g. to an emulated board's UART
// Input raises SIGIO (our receive interrupt), as the streams' sockets do
// (stream.c); idle also polls the inputs.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "board.h"
#include "libos/arch/posix/posix.h"
#include "libos/console.h"
#include "libos/hw.h"
#include "libos/uart.h"

#define CONSOLE_IN STDIN_FILENO
#define CONSOLE_OUT STDOUT_FILENO

// Descriptors of the inputs; -1 once closed or when not connected.
static int console_fd = CONSOLE_IN;
static int uart_fds[BOARD_UART_COUNT + 1];

static void exit_setup_error(const char *what, const char *detail) {
    fprintf(stderr, "libos: %s: %s\n", what, detail);
    exit(70);
}

void posix_raise_sigio(int fd) {
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0 && fcntl(fd, F_SETOWN, getpid()) == 0) {
        fcntl(fd, F_SETFL, flags | O_ASYNC);
    }
}

static int open_pty(unsigned n) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY);
    if (fd < 0 || grantpt(fd) != 0 || unlockpt(fd) != 0) {
        exit_setup_error("cannot open a pty", strerror(errno));
    }
    // Raw bytes both ways, whoever opens the other end.
    struct termios raw;
    tcgetattr(fd, &raw);
    cfmakeraw(&raw);
    tcsetattr(fd, TCSANOW, &raw);
    fprintf(stderr, "libos: uart%u is %s\n", n, ptsname(fd));
    return fd;
}

static int open_tcp(const char *spec) {
    char host[256];
    int port;
    if (sscanf(spec, "tcp:%255[^:]:%d", host, &port) != 2) {
        exit_setup_error("expected tcp:HOST:PORT", spec);
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        exit_setup_error("not an IPv4 address", host);
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        exit_setup_error(spec, strerror(errno));
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

static void open_uarts(void) {
    for (unsigned n = 1; n <= BOARD_UART_COUNT; n++) {
        char name[16];
        snprintf(name, sizeof(name), "LIBOS_UART%u", n);
        const char *spec = getenv(name);
        if (spec == NULL) {
            uart_fds[n] = -1;
        } else if (strcmp(spec, "pty") == 0) {
            uart_fds[n] = open_pty(n);
        } else if (strncmp(spec, "tcp:", 4) == 0) {
            uart_fds[n] = open_tcp(spec);
        } else {
            exit_setup_error(name, "expected pty or tcp:HOST:PORT");
        }
    }
    // Unless told otherwise, uart(1) and uart(2) are wired to each other.
    if (uart_fds[1] < 0 && uart_fds[2] < 0) {
        int pair[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) {
            exit_setup_error("socketpair", strerror(errno));
        }
        uart_fds[1] = pair[0];
        uart_fds[2] = pair[1];
    }
}

static void input_signal(int sig, siginfo_t *info, void *context) {
    (void)sig;
    (void)info;
    (void)context;
    posix_input_ready();
    posix_streams_ready();
}

void posix_inputs_init(void) {
    signal(SIGPIPE, SIG_IGN);
    open_uarts();
    posix_on_signal(SIGNAL_INPUT, input_signal);
    posix_raise_sigio(console_fd);
    for (unsigned n = 1; n <= BOARD_UART_COUNT; n++) {
        if (uart_fds[n] >= 0) {
            posix_raise_sigio(uart_fds[n]);
        }
    }
}

void posix_input_fds(struct pollfd fds[POSIX_INPUTS]) {
    fds[0] = (struct pollfd){.fd = console_fd, .events = POLLIN};
    for (unsigned n = 1; n <= BOARD_UART_COUNT; n++) {
        fds[n] = (struct pollfd){.fd = uart_fds[n], .events = POLLIN};
    }
}

// Reads what `input` has waiting, at most `room` bytes; -1 at end of input.
static ssize_t read_waiting(const struct pollfd *input, uint8_t *buf, size_t room) {
    if (room == 0 || input->revents == 0) {
        return 0;
    }
    ssize_t got = read(input->fd, buf, room);
    if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) {
        return -1;
    }
    return got < 0 ? 0 : got;
}

// The receive interrupt of every input: runs from SIGIO, or from idle when
// ppoll saw input, always with the interrupt signals masked. One poll finds
// which inputs have something waiting.
void posix_input_ready(void) {
    struct pollfd fds[POSIX_INPUTS];
    posix_input_fds(fds);
    if (poll(fds, POSIX_INPUTS, 0) <= 0) {
        return;
    }
    uint8_t buf[512];
    size_t room = console_room();
    ssize_t got = read_waiting(&fds[0], buf, room < sizeof(buf) ? room : sizeof(buf));
    for (ssize_t i = 0; i < got; i++) {
        console_received(buf[i]);
    }
    if (got < 0) {
        console_fd = -1;
        console_end();
    }
    for (unsigned n = 1; n <= BOARD_UART_COUNT; n++) {
        room = uart_room(n);
        got = read_waiting(&fds[n], buf, room < sizeof(buf) ? room : sizeof(buf));
        for (ssize_t i = 0; i < got; i++) {
            uart_received(n, buf[i]);
        }
        if (got < 0) {
            uart_fds[n] = -1;
        }
    }
}

static void write_all(int fd, const void *data, size_t len) {
    const char *p = data;
    while (len > 0) {
        ssize_t put = write(fd, p, len);
        if (put < 0 && errno == EINTR) {
            continue;
        }
        if (put <= 0) {
            return; // the other end has gone: the bytes go nowhere, as on a wire
        }
        p += put;
        len -= (size_t)put;
    }
}

void hw_console_init(void) {
}

void hw_console_write(const char *buf, size_t len) {
    write_all(CONSOLE_OUT, buf, len);
}

void hw_uart_init(unsigned n) {
    (void)n;
}

void hw_uart_start_tx(unsigned n) {
    uint8_t buf[512];
    size_t len = 0;
    for (int byte = uart_next_to_send(n); byte >= 0; byte = uart_next_to_send(n)) {
        buf[len++] = (uint8_t)byte;
        if (len == sizeof(buf)) {
            if (uart_fds[n] >= 0) {
                write_all(uart_fds[n], buf, len);
            }
            len = 0;
        }
    }
    if (len > 0 && uart_fds[n] >= 0) {
        write_all(uart_fds[n], buf, len);
    }
}
