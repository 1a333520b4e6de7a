// The posix board reads scripts, and modules beside them, from host files.
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "py/builtin.h"
#include "py/mperrno.h"
#include "py/reader.h"
#include "py/runtime.h"

mp_import_stat_t host_import_stat(const char *path);
void host_reader_new_file(mp_reader_t *reader, const char *path);

mp_import_stat_t host_import_stat(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        return MP_IMPORT_STAT_NO_EXIST;
    }
    return S_ISDIR(st.st_mode) ? MP_IMPORT_STAT_DIR : MP_IMPORT_STAT_FILE;
}

// Reads the whole file into the heap; the reader frees it when done.
void host_reader_new_file(mp_reader_t *reader, const char *path) {
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int err = errno;
        if (fd >= 0) {
            close(fd);
        }
        mp_raise_OSError(err);
    }
    size_t len = (size_t)st.st_size;
    byte *buf = m_new(byte, len ? len : 1);
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        got += (size_t)n;
    }
    close(fd);
    mp_reader_new_mem(reader, buf, got, len ? len : 1);
}
