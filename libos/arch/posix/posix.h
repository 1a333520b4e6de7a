// What the posix arch's files share. On posix, signals stand in for
// interrupts: SIGIO for input on the console and the UARTs, SIGRTMIN for every
// timer (its value says which). Every handler blocks the others (sa_mask), so
// no handler preempts another, as on a device where they share one priority.
#ifndef LIBOS_POSIX_H
#define LIBOS_POSIX_H

#include <poll.h>
#include <signal.h>
#include <stdbool.h>

#define SIGNAL_TIMER (SIGRTMIN)
#define SIGNAL_INPUT (SIGIO)

// Installs `handler` for `sig` with every interrupt signal blocked inside it.
void posix_on_signal(int sig, void (*handler)(int, siginfo_t *, void *));
// The signals that stand in for interrupts.
void posix_interrupt_signals(sigset_t *set);

// Input sources (console, UARTs): their descriptors for idle's ppoll, and
// reading what is waiting on them, as their receive interrupts would.
int posix_input_fds(struct pollfd *fds, int max);
void posix_input_ready(void);
void posix_inputs_init(void);

// Undoes what we did to the terminal and to stdin, before exit or exec.
void posix_restore_terminal(void);

#endif
