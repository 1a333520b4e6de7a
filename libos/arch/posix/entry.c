// The posix board's entry, resets and faults.
//
// A reset re-executes the program with no arguments: the board boots afresh
// (into its application and REPL, as a device would). The reset record lives
// in a file mapped into memory, so it survives the exec: LIBOS_RESET_RECORD
// names the file, by default build/posix/reset-record beside the executable.
// Faults (SIGSEGV, SIGBUS, SIGILL, SIGFPE) are reported, recorded as 'fault'
// and reset the board.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>

#include "board.h"
#include "libos/arch/posix/posix.h"
#include "libos/hw.h"
#include "libos/limits.h"
#include "libos/mem.h"
#include "libos/reset.h"

#define RECORD_FILE_BYTES 4096
#define STACK_WATCHED_BYTES (256 * 1024)

uint32_t hw_cpu_hz = BOARD_CLOCK_HZ;

static char *program;
static struct termios saved_termios;
static bool termios_saved;
static int saved_stdin_flags = -1;
static uint8_t heap[BOARD_HEAP_BYTES] __attribute__((aligned(16)));
// The painted stack region, below main's frame (addresses, not pointers:
// the frame that painted it has returned; later frames reuse the region).
static uintptr_t stack_low;
static uintptr_t stack_high;
// main's frame: every frame of the board's run lies below it.
static void *stack_top;

void posix_restore_terminal(void) {
    if (termios_saved) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
    }
    if (saved_stdin_flags >= 0) {
        fcntl(STDIN_FILENO, F_SETFL, saved_stdin_flags);
    }
}

// A terminal on stdin delivers every key, Ctrl-C included, as a byte to the
// console, as a UART would; output processing (\n to \r\n) stays on.
static void take_terminal(void) {
    saved_stdin_flags = fcntl(STDIN_FILENO, F_GETFL);
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_termios) != 0) {
        return;
    }
    termios_saved = true;
    struct termios raw = saved_termios;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
    raw.c_iflag &= ~(tcflag_t)(IXON | ICRNL);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSANOW, &raw);
}

__attribute__((noinline)) static void paint_stack(void) {
    volatile uint32_t area[STACK_WATCHED_BYTES / sizeof(uint32_t)];
    for (size_t i = 0; i < STACK_WATCHED_BYTES / sizeof(uint32_t); i++) {
        area[i] = LIBOS_STACK_PAINT;
    }
    stack_low = (uintptr_t)area;
    stack_high = stack_low + STACK_WATCHED_BYTES;
}

int main(int argc, char **argv) {
    program = argv[0];
    stack_top = __builtin_frame_address(0);
    paint_stack();
    take_terminal();
    atexit(posix_restore_terminal);
    return libos_main(argc, argv);
}

void mem_init(void) {
    // Painted by main before anything ran on that part of the stack.
}

void mem_heap(void **start, void **end) {
    *start = heap;
    *end = heap + sizeof(heap);
}

size_t mem_stack_peak(void) {
    uintptr_t p = stack_low;
    while (p < stack_high && *(volatile uint32_t *)p == LIBOS_STACK_PAINT) {
        p += sizeof(uint32_t);
    }
    return stack_high - p;
}

size_t mem_stack_size(void) {
    return STACK_WATCHED_BYTES;
}

void *mem_stack_top(void) {
    return stack_top;
}

void hw_board_init(void) {
    posix_inputs_init();
}

static void *map_record_file(void) {
    const char *path = getenv("LIBOS_RESET_RECORD");
    char beside_program[4096];
    if (path == NULL) {
        snprintf(beside_program, sizeof(beside_program), "%s.reset-record", program);
        path = beside_program;
    }
    int fd = open(path, O_RDWR | O_CREAT, 0644);
    if (fd < 0 || ftruncate(fd, RECORD_FILE_BYTES) != 0) {
        fprintf(stderr, "libos: cannot open the reset record %s: %s\n", path, strerror(errno));
        exit(70);
    }
    void *area = mmap(NULL, RECORD_FILE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (area == MAP_FAILED) {
        fprintf(stderr, "libos: cannot map the reset record %s: %s\n", path, strerror(errno));
        exit(70);
    }
    return area;
}

void *hw_reset_record_area(size_t size) {
    static void *area;
    if (size > RECORD_FILE_BYTES) {
        return NULL;
    }
    if (area == NULL) {
        area = map_record_file();
    }
    return area;
}

int hw_reset_flags(void) {
    return -1;  // the record is all there is
}

void hw_reset(void) {
    posix_restore_terminal();
    char *args[] = {program, NULL};
    execv("/proc/self/exe", args);
    _exit(71);
}

// ---- faults ----

static void fault_handler(int sig, siginfo_t *info, void *context) {
    (void)context;
    char text[LIBOS_RESET_REASON_MAX];
    int len = snprintf(text, sizeof(text), "%s addr=%p", sig == SIGSEGV ? "SIGSEGV"
        : sig == SIGBUS ? "SIGBUS" : sig == SIGILL ? "SIGILL" : "SIGFPE", info->si_addr);
    reset_for_fault(text, (size_t)len);
}

void hw_fault_init(void) {
    // Faults run on their own stack: a stack overflow must be reported too.
    static uint8_t fault_stack[64 * 1024];
    stack_t alt = {.ss_sp = fault_stack, .ss_size = sizeof(fault_stack)};
    sigaltstack(&alt, NULL);
    static const int faults[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};
    for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
        struct sigaction sa = {.sa_sigaction = fault_handler, .sa_flags = SA_SIGINFO | SA_ONSTACK};
        sigfillset(&sa.sa_mask);
        sigaction(faults[i], &sa, NULL);
    }
}
