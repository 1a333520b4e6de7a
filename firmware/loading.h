// Modules being loaded into a running system (loading.c): what image.c's
// import hooks ask first.
#ifndef FIRMWARE_LOADING_H
#define FIRMWARE_LOADING_H

#include "py/builtin.h"
#include "py/reader.h"

// True for the paths loading.c serves ("/load/...").
bool loading_owns(const char *path);
mp_import_stat_t loading_stat(const char *path);
// Opens `path` on the staged bytes; false when they are not staged under it.
bool loading_reader_new(mp_reader_t *reader, const char *path);

#endif
