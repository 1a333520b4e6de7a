// Resets and why they happened.
//
// A record in memory that survives reset (magic, length, CRC, cause, reason)
// is written just before every reset libos causes: software, fault, and the
// watchdog's early warning where the hardware has one. At boot the record, checked by its CRC, and the
// hardware's reset flags give the cause; then the record is cleared, so a
// later reset that writes nothing reads as power-on.
#ifndef LIBOS_RESET_H
#define LIBOS_RESET_H

#include <stddef.h>

typedef enum {
    RESET_POWER,
    RESET_WATCHDOG,
    RESET_SOFTWARE,
    RESET_FAULT,
} reset_cause_t;

// Reads and clears the record; call once, early at boot.
void reset_boot(void);
// Why the board last reset; *reason is NULL when none was recorded.
reset_cause_t reset_cause(const char **reason);
const char *reset_cause_name(reset_cause_t cause);

// Records cause and reason (at most LIBOS_RESET_REASON_MAX bytes; longer is
// cut, so call sites validate first), then resets the board.
__attribute__((noreturn)) void reset_board(reset_cause_t cause, const char *reason, size_t len);
// The end of every CPU fault handler: prints "FAULT: text" on the console,
// records the cause 'fault' with text as reason, and resets.
__attribute__((noreturn)) void reset_for_fault(const char *text, size_t len);

#endif
