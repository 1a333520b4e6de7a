// The frozen image: runtime/ (and an application, when given) compiled to
// .mpy by mpy-cross and packed by tools/image.py into a blob linked into the
// firmware. `import` finds modules there under /rom, and their bytecode and
// strings are used in place (MICROPY_VFS_ROM), not copied into the heap;
// so are the runtime modules' qstr tables (image_tables.h).
//
// Image layout (little-endian words):
//   "RTIM" | count | { name offset, data offset, data length } * count |
//   names (NUL-terminated, e.g. "runtime/scheduler.mpy") | data
//
// On posix, paths outside /rom are host files: scripts and the modules next
// to them.
#include <string.h>

#include "py/bc.h"
#include "py/builtin.h"
#include "py/gc.h"
#include "py/lexer.h"
#include "py/mperrno.h"
#include "py/reader.h"
#include "py/runtime.h"
#include "firmware/image_tables.h"
#include "firmware/loading.h"

#define IMAGE_MAGIC 0x4d495452u    // "RTIM"
#define ROM_PREFIX "/rom/"

extern const uint8_t image_start[];

typedef struct {
    uint32_t name;
    uint32_t data;
    uint32_t length;
} image_entry_t;

static uint32_t image_word(size_t offset) {
    uint32_t word;
    memcpy(&word, image_start + offset, sizeof(word));
    return word;
}

static uint32_t image_count(void) {
    return image_word(0) == IMAGE_MAGIC ? image_word(4) : 0;
}

static image_entry_t image_entry(uint32_t i) {
    size_t at = 8 + 12 * (size_t)i;
    return (image_entry_t){image_word(at), image_word(at + 4), image_word(at + 8)};
}

// The entry named `path` (relative to /rom), or the index of the first entry
// under the directory `path` when `as_dir`; -1 when there is none.
static int image_find(const char *path, bool as_dir) {
    size_t len = strlen(path);
    for (uint32_t i = 0; i < image_count(); i++) {
        const char *name = (const char *)image_start + image_entry(i).name;
        if (strncmp(name, path, len) != 0) {
            continue;
        }
        if (as_dir ? name[len] == '/' : name[len] == '\0') {
            return (int)i;
        }
    }
    return -1;
}

static const char *rom_path(const char *path) {
    size_t len = strlen(ROM_PREFIX);
    return strncmp(path, ROM_PREFIX, len) == 0 ? path + len : NULL;
}

#if HOST_FILES
mp_import_stat_t host_import_stat(const char *path);
void host_reader_new_file(mp_reader_t *reader, const char *path);
#endif

mp_import_stat_t mp_import_stat(const char *path) {
    if (loading_owns(path)) {
        return loading_stat(path);
    }
    const char *in_rom = rom_path(path);
    if (in_rom != NULL) {
        if (image_find(in_rom, false) >= 0) {
            return MP_IMPORT_STAT_FILE;
        }
        return image_find(in_rom, true) >= 0 ? MP_IMPORT_STAT_DIR : MP_IMPORT_STAT_NO_EXIST;
    }
    #if HOST_FILES
    return host_import_stat(path);
    #else
    return MP_IMPORT_STAT_NO_EXIST;
    #endif
}

void mp_reader_new_file(mp_reader_t *reader, qstr filename) {
    const char *path = qstr_str(filename);
    if (loading_owns(path)) {
        if (loading_reader_new(reader, path)) {
            return;
        }
        mp_raise_OSError(MP_ENOENT);
    }
    const char *in_rom = rom_path(path);
    int i = in_rom != NULL ? image_find(in_rom, false) : -1;
    if (i >= 0) {
        image_entry_t entry = image_entry((uint32_t)i);
        mp_reader_new_mem(reader, image_start + entry.data, entry.length, MP_READER_IS_ROM);
        return;
    }
    #if HOST_FILES
    if (in_rom == NULL) {
        host_reader_new_file(reader, path);
        return;
    }
    #endif
    mp_raise_OSError(MP_ENOENT);
}

// The loader asks, for an .mpy it reads in place, whether its qstr table is
// in flash: `qstrs_at` is where the .mpy lists its qstrs.
const uint16_t *image_rom_qstr_table(const uint8_t *qstrs_at, size_t n_qstr) {
    if (qstrs_at < image_start) {
        return NULL;
    }
    size_t at = (size_t)(qstrs_at - image_start);
    for (size_t i = 0; i < image_qstr_table_count; i++) {
        const image_qstr_table_t *table = &image_qstr_tables[i];
        if (table->at == at && table->count == n_qstr) {
            return table->qstrs;
        }
    }
    return NULL;
}

// _image.qstrs_in_flash(module): whether a module imported from the image
// uses its qstr table from flash (the loader kept the one offered above).
// False for any other module: a built-in one is not a loaded module's context.
static mp_obj_t image_qstrs_in_flash(mp_obj_t module) {
    if (!mp_obj_is_type(module, &mp_type_module)
        || gc_nbytes(MP_OBJ_TO_PTR(module)) < sizeof(mp_module_context_t)) {
        return mp_const_false;
    }
    const qstr_short_t *in_use = ((mp_module_context_t *)MP_OBJ_TO_PTR(module))->constants.qstr_table;
    for (size_t i = 0; i < image_qstr_table_count; i++) {
        if (image_qstr_tables[i].qstrs == in_use) {
            return mp_const_true;
        }
    }
    return mp_const_false;
}
static MP_DEFINE_CONST_FUN_OBJ_1(image_qstrs_in_flash_obj, image_qstrs_in_flash);

static const mp_rom_map_elem_t image_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR__image) },
    { MP_ROM_QSTR(MP_QSTR_qstrs_in_flash), MP_ROM_PTR(&image_qstrs_in_flash_obj) },
};
static MP_DEFINE_CONST_DICT(image_globals, image_globals_table);

const mp_obj_module_t image_module = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&image_globals,
};
MP_REGISTER_MODULE(MP_QSTR__image, image_module);

mp_lexer_t *mp_lexer_new_from_file(qstr filename) {
    mp_reader_t reader;
    mp_reader_new_file(&reader, filename);
    return mp_lexer_new(filename, reader);
}

// The image holds modules, not files, and there is no file system: open()
// says so instead of pretending.
static mp_obj_t builtin_open(size_t n_args, const mp_obj_t *args, mp_map_t *kwargs) {
    (void)n_args;
    (void)args;
    (void)kwargs;
    mp_raise_msg(&mp_type_OSError, MP_ERROR_TEXT("open(): this board has no file system"));
}
MP_DEFINE_CONST_FUN_OBJ_KW(mp_builtin_open_obj, 1, builtin_open);
