// Interrupts on posix: masking the signals that stand in for them, and
// waiting for one.
#include <time.h>

#include "libos/arch/posix/posix.h"
#include "libos/clock.h"
#include "libos/hw.h"

void posix_interrupt_signals(sigset_t *set) {
    sigemptyset(set);
    sigaddset(set, SIGNAL_TIMER);
    sigaddset(set, SIGNAL_INPUT);
}

void posix_on_signal(int sig, void (*handler)(int, siginfo_t *, void *)) {
    struct sigaction sa = {.sa_sigaction = handler, .sa_flags = SA_SIGINFO | SA_RESTART};
    posix_interrupt_signals(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

// The state is whether the signals were already masked, so that nested
// save/restore pairs leave them masked until the outermost restore.
uint32_t hw_irq_save(void) {
    sigset_t block, old;
    posix_interrupt_signals(&block);
    sigprocmask(SIG_BLOCK, &block, &old);
    return (uint32_t)sigismember(&old, SIGNAL_TIMER);
}

void hw_irq_restore(uint32_t state) {
    if (!state) {
        sigset_t unblock;
        posix_interrupt_signals(&unblock);
        sigprocmask(SIG_UNBLOCK, &unblock, NULL);
    }
}

// Called with the signals masked; ppoll unmasks them only while it sleeps,
// so a signal that arrived before cannot be missed (it is pending and ends
// the wait at once). Input that is readable, or a stream with something to
// post, also ends it; a stream owed a look that no descriptor will announce
// is looked at without sleeping.
void hw_wait_for_interrupt(uint64_t deadline_us) {
    struct pollfd fds[POSIX_INPUTS + BOARD_STREAMS];
    posix_input_fds(fds);
    nfds_t count = POSIX_INPUTS + posix_stream_fds(fds + POSIX_INPUTS);
    uint64_t now = hw_clock_us();
    uint64_t wait = deadline_us > now && !posix_streams_look_due() ? deadline_us - now : 0;
    struct timespec timeout = {.tv_sec = (time_t)(wait / 1000000u), .tv_nsec = (long)(wait % 1000000u) * 1000};
    sigset_t during;
    sigprocmask(SIG_SETMASK, NULL, &during);
    sigdelset(&during, SIGNAL_TIMER);
    sigdelset(&during, SIGNAL_INPUT);
    if (ppoll(fds, count, &timeout, &during) > 0 || posix_streams_look_due()) {
        posix_input_ready();
        posix_streams_ready();
    }
}
