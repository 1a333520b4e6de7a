// The qstr tables of the image's runtime modules, in flash. tools/image.py
// makes them with the image ($(BUILD)/image_qstr_tables.c), from the same
// .mpy files, with the names of the static qstr pool that the image's
// strings joined (--qstrs). MicroPython's loader would otherwise put each
// module's table on the heap; with image_rom_qstr_table
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
