// MicroPython configuration for our port: the same on every board, so that
// a script behaves alike on posix and on a device. The feature level is
// MicroPython's "extra features" (as its stock unix port); below are only the
// choices that differ from what that level gives.
#include <stdint.h>
#include <alloca.h>
#include <limits.h>

#include "board.h"

#define MICROPY_CONFIG_ROM_LEVEL        (MICROPY_CONFIG_ROM_LEVEL_EXTRA_FEATURES)

// Numbers: arbitrary-precision ints, single-precision floats (the Cortex-M4F
// has an FPU for them; the M3 emulates them in software).
#define MICROPY_LONGINT_IMPL            (MICROPY_LONGINT_IMPL_MPZ)
#define MICROPY_FLOAT_IMPL              (MICROPY_FLOAT_IMPL_FLOAT)

// Memory: a GC heap given by libos. On the device the C stack is checked
// against libos's limit so runaway recursion raises instead of corrupting.
#define MICROPY_ENABLE_GC               (1)
#define MICROPY_STACK_CHECK             (1)
#define MICROPY_GC_ALLOC_THRESHOLD      (1)
#define MICROPY_ALLOC_PATH_MAX          (256)
// Out of memory, an exception still gets its message and traceback from a
// buffer kept for the purpose: a process that exhausts the heap must be able
// to say so.
#define MICROPY_ENABLE_EMERGENCY_EXCEPTION_BUF (1)
#define MICROPY_EMERGENCY_EXCEPTION_BUF_SIZE (256)

// The REPL: friendly and raw (with raw-paste, for mpremote and tools/).
#define MICROPY_HELPER_REPL             (1)
#define MICROPY_REPL_AUTO_INDENT        (1)
#define MICROPY_REPL_EMACS_KEYS         (1)
#define MICROPY_REPL_INFO               (0)
#define MICROPY_PYEXEC_ENABLE_EXIT_CODE_HANDLING (1)
#define MICROPY_USE_READLINE_HISTORY    (1)
#define MICROPY_READLINE_HISTORY_SIZE   (8)

// Speed: the VM dispatches by computed goto, and a larger cache of map
// lookups covers the runtime's hot attribute and global loads.
#define MICROPY_OPT_COMPUTED_GOTO       (1)
#define MICROPY_OPT_MAP_LOOKUP_CACHE_SIZE (1024)

// Interrupting Python: Ctrl-C, and libos's slice budget, both arrive as
// pending exceptions scheduled from an interrupt handler.
#define MICROPY_KBD_EXCEPTION           (1)
#define MICROPY_ENABLE_SCHEDULER        (1)

// Imports come from the frozen image (bytecode read in place, see image.c)
// and, on posix, from host files.
#define MICROPY_ENABLE_EXTERNAL_IMPORT  (1)
#define MICROPY_PERSISTENT_CODE_LOAD    (1)
#define MICROPY_HAS_FILE_READER         (1)
#define MICROPY_VFS_ROM                 (1)
#define MICROPY_VFS_ROM_IOCTL           (0)
#define MICROPY_MODULE___FILE__         (1)

// Modules the runtime relies on; nothing that touches hardware except libos.
#define MICROPY_PY_COLLECTIONS_DEQUE    (1)
#define MICROPY_PY_COLLECTIONS_DEQUE_ITER (1)
#define MICROPY_PY_COLLECTIONS_DEQUE_SUBSCR (1)
#define MICROPY_PY_STRUCT               (1)
#define MICROPY_PY_ARRAY                (1)
#define MICROPY_PY_GC                   (1)
#define MICROPY_PY_MICROPYTHON          (1)
#define MICROPY_PY_SYS                  (1)
#define MICROPY_PY_SYS_EXIT             (1)
#define MICROPY_PY_SYS_STDFILES         (1)
#define MICROPY_PY_SYS_EXC_INFO         (1)
#define MICROPY_PY_IO                   (1)
#define MICROPY_PY_MATH                 (1)
#define MICROPY_PY_CMATH                (0)
#define MICROPY_PY_BUILTINS_HELP        (1)
#define MICROPY_PY_BUILTINS_HELP_MODULES (1)
#define MICROPY_PY_BUILTINS_INPUT       (1)
#define MICROPY_PY_SYS_PLATFORM         BOARD_NAME
#define MICROPY_HW_BOARD_NAME           BOARD_NAME
#define MICROPY_HW_MCU_NAME             BOARD_CPU

// No OS underneath: no os, time, select, file system or threads.
#define MICROPY_PY_OS                   (0)
#define MICROPY_PY_TIME                 (0)
#define MICROPY_PY_SELECT               (0)
#define MICROPY_PY_THREAD               (0)
#define MICROPY_VFS                     (0)
#define MICROPY_PY_MACHINE              (0)
#define MICROPY_PY_OS_DUPTERM           (0)
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
