// What the posix arch's files share. On posix, signals stand in for
// interrupts: SIGIO for input on the console, the UARTs and the streams,
// SIGRTMIN for every timer (its value says which). Every handler blocks the
// others (sa_mask), so no handler preempts another, as on a device where they
// share one priority.
#ifndef LIBOS_POSIX_H
#define LIBOS_POSIX_H

#include <poll.h>
#include <signal.h>
#include <stdbool.h>

#include "board.h"

#define SIGNAL_TIMER (SIGRTMIN)
#define SIGNAL_INPUT (SIGIO)

// Installs `handler` for `sig` with every interrupt signal blocked inside it.
void posix_on_signal(int sig, void (*handler)(int, siginfo_t *, void *));
// The signals that stand in for interrupts.
void posix_interrupt_signals(sigset_t *set);

// Input sources: the console, then UART 1 .. BOARD_UART_COUNT. Their
// descriptors as poll wants them (one that is closed or not connected is -1,
// which poll skips), and reading what is waiting on them, as their receive
// interrupts would.
#define POSIX_INPUTS (1 + BOARD_UART_COUNT)
void posix_input_fds(struct pollfd fds[POSIX_INPUTS]);
void posix_input_ready(void);
void posix_inputs_init(void);
// Makes `fd` raise SIGIO whenever it has something new for us.
void posix_raise_sigio(int fd);

// Streams (libos/stream.h; the board sets BOARD_STREAMS). With the signals
// masked: the armed streams' descriptors as poll wants them (none while the
// source is unclaimed, since nothing would be posted); whether a look is due
// that no descriptor will announce; and the look itself, which posts.
unsigned posix_stream_fds(struct pollfd fds[BOARD_STREAMS]);
bool posix_streams_look_due(void);
void posix_streams_ready(void);

// Undoes what we did to the terminal and to stdin, before exit or exec.
void posix_restore_terminal(void);

#endif
