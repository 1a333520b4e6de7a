// What importing the image's runtime modules would put on the heap, in
// flash instead. tools/image.py makes it with the image
// ($(BUILD)/image_qstr_tables.c), from the same .mpy files and the core's
// qstrs: image_qstr_pool, the strings they intern that the core has not
// (the firmware's last qstr pool, MICROPY_QSTR_EXTRA_POOL), and each
// module's qstr table. MicroPython's loader would otherwise put each table
// on the heap; with image_rom_qstr_table
// (tools/patches/micropython-rom-qstr-tables.patch) it checks the one here
// against the .mpy as it loads it and keeps it.
#ifndef FIRMWARE_IMAGE_TABLES_H
#define FIRMWARE_IMAGE_TABLES_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t at;            // where the module's .mpy lists its qstrs, from image_start
    uint32_t count;
    const uint16_t *qstrs;
} image_qstr_table_t;

extern const image_qstr_table_t image_qstr_tables[];
extern const size_t image_qstr_table_count;

#endif
