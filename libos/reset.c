// Resets and their causes: see reset.h for the contract.
#include <string.h>

#include "libos/hw.h"
#include "libos/limits.h"
#include "libos/reset.h"

#define RECORD_MAGIC 0x4c69624fu   // "LibO"

// Lives in memory that survives reset. Invariant: when `magic` is
// RECORD_MAGIC and `crc` matches, the other fields were written by
// reset_record(); anything else (power-on garbage, a torn write) reads as
// "no record".
typedef struct {
    uint32_t magic;
    uint32_t length;    // of reason; 0 when none
    uint32_t cause;     // a reset_cause_t
    uint32_t crc;       // CRC-32 of cause, length and reason
    char reason[LIBOS_RESET_REASON_MAX + 1];
} reset_record_t;

static reset_record_t *record;
// What reset_boot() found, for reset_cause().
static reset_cause_t boot_cause = RESET_POWER;
static char boot_reason[LIBOS_RESET_REASON_MAX + 1];
static bool boot_has_reason;

static uint32_t crc32_update(uint32_t crc, const void *data, size_t len) {
    const uint8_t *p = data;
    crc = ~crc;
    while (len--) {
        crc ^= *p++;
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
        }
    }
    return ~crc;
}

static uint32_t record_crc(const reset_record_t *r) {
    uint32_t crc = crc32_update(0, &r->cause, sizeof(r->cause));
    crc = crc32_update(crc, &r->length, sizeof(r->length));
    return crc32_update(crc, r->reason, r->length);
}

static bool record_valid(const reset_record_t *r) {
    return r->magic == RECORD_MAGIC && r->length <= LIBOS_RESET_REASON_MAX
           && r->cause <= RESET_FAULT && r->crc == record_crc(r);
}

void reset_boot(void) {
    record = hw_reset_record_area(sizeof(reset_record_t));
    int flags = hw_reset_flags();
    if (record_valid(record)) {
        boot_cause = (reset_cause_t)record->cause;
        boot_has_reason = record->length > 0;
        memcpy(boot_reason, record->reason, record->length);
        boot_reason[record->length] = '\0';
    } else if (flags >= 0) {
        boot_cause = (reset_cause_t)flags;
    }
    memset(record, 0, sizeof(*record));
}

reset_cause_t reset_cause(const char **reason) {
    *reason = boot_has_reason ? boot_reason : NULL;
    return boot_cause;
}

const char *reset_cause_name(reset_cause_t cause) {
    static const char *const names[] = {"power", "watchdog", "software", "fault"};
    return names[cause];
}

static void reset_record(reset_cause_t cause, const char *reason, size_t len) {
    if (record == NULL) {
        record = hw_reset_record_area(sizeof(reset_record_t));
    }
    if (len > LIBOS_RESET_REASON_MAX) {
        len = LIBOS_RESET_REASON_MAX;
    }
    record->magic = 0;
    record->cause = cause;
    record->length = (uint32_t)len;
    if (len > 0) {
        memcpy(record->reason, reason, len);
    }
    record->reason[len] = '\0';
    record->crc = record_crc(record);
    record->magic = RECORD_MAGIC;
}

void reset_board(reset_cause_t cause, const char *reason, size_t len) {
    reset_record(cause, reason, len);
    hw_reset();
}

void reset_for_fault(const char *text, size_t len) {
    hw_console_write("\r\nFAULT: ", 9);
    hw_console_write(text, len);
    hw_console_write("\r\n", 2);
    reset_board(RESET_FAULT, text, len);
}
