// A module being loaded into the running system (runtime/code.py): its new
// version, source or .mpy, is staged here and imported once, under a name
// of its own, from "/load/" (image.c asks loading_stat and
// loading_reader_new before anything else). The import compiles it into a
// fresh module object; the runtime then moves its names into the old one.
// There is no file system on a board: this is the one way an .mpy made by
// mpy-cross on the host reaches MicroPython's loader from Python.
//
//   _loading.stage(path, data)   path e.g. "/load/__loading__.mpy"; data bytes
//   _loading.stage(None, None)   nothing staged (the bytes may be freed)
#include <string.h>

#include "py/reader.h"
#include "py/runtime.h"
#include "firmware/loading.h"

#define LOAD_PREFIX "/load/"

// (path, data) staged, or None: a root, so the GC keeps the bytes alive
// while the import reads them.
MP_REGISTER_ROOT_POINTER(mp_obj_t loading_staged);

bool loading_owns(const char *path) {
    return strncmp(path, LOAD_PREFIX, strlen(LOAD_PREFIX)) == 0;
}

// The staged bytes when `path` names them, else NULL.
static const char *staged(const char *path, size_t *len) {
    mp_obj_t entry = MP_STATE_VM(loading_staged);
    if (entry == MP_OBJ_NULL || entry == mp_const_none) {
        return NULL;
    }
    size_t n;
    mp_obj_t *fields;
    mp_obj_tuple_get(entry, &n, &fields);
    if (strcmp(mp_obj_str_get_str(fields[0]), path) != 0) {
        return NULL;
    }
    return mp_obj_str_get_data(fields[1], len);
}

mp_import_stat_t loading_stat(const char *path) {
    size_t len = 0;
    if (staged(path, &len) != NULL) {
        return MP_IMPORT_STAT_FILE;
    }
    // "/load" itself is the folder the import searches.
    return strcmp(path, "/load") == 0 ? MP_IMPORT_STAT_DIR : MP_IMPORT_STAT_NO_EXIST;
}

bool loading_reader_new(mp_reader_t *reader, const char *path) {
    size_t len = 0;
    const char *data = staged(path, &len);
    if (data == NULL) {
        return false;
    }
    // Not MP_READER_IS_ROM: the loader copies what it keeps, so the staged
    // bytes may go once the import is done.
    mp_reader_new_mem(reader, (const byte *)data, len, 0);
    return true;
}

static mp_obj_t loading_stage(mp_obj_t path, mp_obj_t data) {
    if (path == mp_const_none) {
        MP_STATE_VM(loading_staged) = mp_const_none;
        return mp_const_none;
    }
    if (!loading_owns(mp_obj_str_get_str(path))) {
        mp_raise_ValueError(MP_ERROR_TEXT("a staged module's path starts with /load/"));
    }
    if (!mp_obj_is_type(data, &mp_type_bytes)) {
        mp_raise_TypeError(MP_ERROR_TEXT("a staged module is bytes"));
    }
    mp_obj_t fields[2] = {path, data};
    MP_STATE_VM(loading_staged) = mp_obj_new_tuple(2, fields);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(loading_stage_obj, loading_stage);

static const mp_rom_map_elem_t loading_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR__loading) },
    { MP_ROM_QSTR(MP_QSTR_stage), MP_ROM_PTR(&loading_stage_obj) },
};
static MP_DEFINE_CONST_DICT(loading_globals, loading_globals_table);

const mp_obj_module_t loading_module = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&loading_globals,
};
MP_REGISTER_MODULE(MP_QSTR__loading, loading_module);
