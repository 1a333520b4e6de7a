// MicroPython configuration for our port: the same on every board, so that
// a script behaves alike on posix and on a device. The feature level is
// MicroPython's "extra features" (as its stock unix port); below are only the
// choices that differ from what that level gives. The level also gives what
// interrupting Python needs: Ctrl-C and libos's slice budget both arrive as
// pending exceptions scheduled from an interrupt handler
// (MICROPY_KBD_EXCEPTION, MICROPY_ENABLE_SCHEDULER).
#include <stddef.h>
#include <stdint.h>
#include <alloca.h>
#include <limits.h>

#include "board.h"

#define MICROPY_CONFIG_ROM_LEVEL        (MICROPY_CONFIG_ROM_LEVEL_EXTRA_FEATURES)

// Numbers: arbitrary-precision ints, single-precision floats (the Cortex-M4F
// has an FPU for them; the M3 emulates them in software).
#define MICROPY_LONGINT_IMPL            (MICROPY_LONGINT_IMPL_MPZ)
#define MICROPY_FLOAT_IMPL              (MICROPY_FLOAT_IMPL_FLOAT)

// Memory: a GC heap given by libos. (The level checks the C stack against
// libos's limit, so runaway recursion raises instead of corrupting.)
#define MICROPY_ENABLE_GC               (1)
#define MICROPY_ALLOC_PATH_MAX          (256)
// Out of memory, an exception still gets its message and traceback from a
// buffer kept for the purpose: a process that exhausts the heap must be able
// to say so.
#define MICROPY_ENABLE_EMERGENCY_EXCEPTION_BUF (1)
#define MICROPY_EMERGENCY_EXCEPTION_BUF_SIZE (256)

// The runtime's slice runner leaves a process that swallows its slice's end
// through MicroPython's VM abort (firmware/modruntime.c).
#define MICROPY_ENABLE_VM_ABORT         (1)

// The REPL (the level's, friendly and raw with raw-paste, for mpremote and
// tools/): a script's exit status, and a history of lines.
#define MICROPY_PYEXEC_ENABLE_EXIT_CODE_HANDLING (1)
#define MICROPY_USE_READLINE_HISTORY    (1)

// Speed: the VM dispatches by computed goto, and a larger cache of map
// lookups covers the runtime's hot attribute and global loads.
#define MICROPY_OPT_COMPUTED_GOTO       (1)
#define MICROPY_OPT_MAP_LOOKUP_CACHE_SIZE (1024)

// A call whose state (locals and stack) takes up to 32 words keeps it on the
// C stack; MicroPython's default, 11, sent most of the runtime's calls to
// the heap, an allocation and a free each (a spawn made nine). Patched in
// (tools/patches/micropython-frames-on-stack.patch).
#define MICROPY_VM_MAX_STATE_ON_STACK   (sizeof(mp_uint_t) * 32)

// The names a module brings (qstrs) go into pools of at most 64 entries,
// each one heap block: doubling pools made the pool after ~600 names one of
// 640 entries, 4.5 KB of a netduinoplus2's heap mostly unused (measured when
// the runtime's own names were made on the heap; now an application's and
// loaded code's are). Patched in (tools/patches/micropython-qstr-pool-cap.patch).
#define MICROPY_ALLOC_QSTR_ENTRIES_MAX  (64)

// Imports come from the frozen image (bytecode read in place, see image.c)
// and, on posix, from host files.
#define MICROPY_PERSISTENT_CODE_LOAD    (1)
#define MICROPY_HAS_FILE_READER         (1)
#define MICROPY_VFS_ROM                 (1)
#define MICROPY_VFS_ROM_IOCTL           (0)
// The strings the image's runtime modules intern are a qstr pool in flash,
// the last one, after the core's; and the modules keep their qstr tables in
// flash, made with the image (image_tables.h;
// tools/patches/micropython-rom-qstr-tables.patch): 2 bytes a name a module
// uses, 4.4 KB of a netduinoplus2's heap once the behaviours are imported.
#define MICROPY_QSTR_EXTRA_POOL image_qstr_pool
const uint16_t *image_rom_qstr_table(const uint8_t *qstrs_at, size_t n_qstr);
#define MICROPY_PORT_ROM_QSTR_TABLE(at, n) image_rom_qstr_table(at, n)

// Modules: the level's (collections.deque, struct, array, gc, micropython,
// sys, io, math: what the runtime relies on), plus sys.exc_info, minus
// cmath; nothing that touches hardware except libos.
#define MICROPY_PY_SYS_EXC_INFO         (1)
#define MICROPY_PY_CMATH                (0)
#define MICROPY_PY_SYS_PLATFORM         BOARD_NAME
#define MICROPY_HW_BOARD_NAME           BOARD_NAME
#define MICROPY_HW_MCU_NAME             BOARD_CPU

// No OS underneath: no os, time, select or uctypes (threads, a file
// system and machine are off at every level).
#define MICROPY_PY_OS                   (0)
#define MICROPY_PY_TIME                 (0)
#define MICROPY_PY_SELECT               (0)
#define MICROPY_PY_UCTYPES              (0)

// How a Python object is laid out and how pointers are marked callable.
#if defined(__thumb__)
#define MICROPY_MAKE_POINTER_CALLABLE(p) ((void *)((uintptr_t)(p) | 1))
#define MICROPY_GCREGS_SETJMP           (0)
#endif
// The sanitizer build unwinds with setjmp, which AddressSanitizer follows.
#ifndef MICROPY_NLR_SETJMP
#define MICROPY_NLR_SETJMP              (0)
#endif

typedef long mp_off_t;
#define MP_SSIZE_MAX                    INTPTR_MAX

#define MP_STATE_PORT MP_STATE_VM

// Interrupts: libos masks the ones that call into it.
#define MICROPY_BEGIN_ATOMIC_SECTION()  hw_irq_save()
#define MICROPY_END_ATOMIC_SECTION(s)   hw_irq_restore(s)
#include "libos/hw.h"
