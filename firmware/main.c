// Boot: bring up libos, then run MicroPython on it until the board resets.
#include <string.h>

#include "py/builtin.h"
#include "py/compile.h"
#include "py/cstack.h"
#include "py/gc.h"
#include "py/mperrno.h"
#include "py/runtime.h"
#include "py/stackctrl.h"
#include "shared/readline/readline.h"
#include "shared/runtime/gchelper.h"
#include "shared/runtime/pyexec.h"
#include "firmware/collections.h"
#include "firmware/repl_hook.h"
#include "firmware/slice.h"
#include "libos/budget.h"
#include "libos/clock.h"
#include "libos/console.h"
#include "libos/hw.h"
#include "libos/mem.h"
#include "libos/reset.h"
#include "libos/uart.h"

#define SOFT_REBOOT (-1)

static void python_init(int argc, char **argv) {
    // The stack's own top, not this frame's: the GC takes its roots up to
    // there, and libos_main's locals above this frame hold heap blocks (the
    // boot import's source, a -c script) that vstr_clear frees after a run;
    // unseen, a collection during the run gives them away first.
    mp_cstack_init_with_top(mem_stack_top(), mem_stack_size());
    void *heap_start, *heap_end;
    mem_heap(&heap_start, &heap_end);
    gc_init(heap_start, heap_end);
    mp_init();
    slice_init();
    repl_hook_set(MP_OBJ_NULL);
    readline_init0();
    // The image comes first, then (on posix) the current folder or the
    // script's: a module in the image, the runtime above all, is the one
    // `import` finds, on posix as on a device.
    mp_obj_list_store(mp_sys_path, MP_OBJ_NEW_SMALL_INT(0), MP_OBJ_NEW_QSTR(qstr_from_str("/rom")));
    mp_obj_list_append(mp_sys_path, MP_OBJ_NEW_QSTR(MP_QSTR_));
    // As CPython: sys.argv is [script, args...] or ['-c', args...].
    for (int i = 1; i < argc; i++) {
        if (i == 2 && strcmp(argv[1], "-c") == 0) {
            continue;
        }
        mp_obj_list_append(mp_sys_argv, mp_obj_new_str(argv[i], strlen(argv[i])));
    }
}

// The runtime's boot module, when the image has one, starts the application.
// Ctrl-C cannot cut its import short (a console tool pressing it to reach the
// prompt would leave a board without its application); boot lets it stop the
// wait for the application to start, and nothing else.
static int run_boot_module(void) {
    if (mp_import_stat("/rom/runtime/boot.mpy") != MP_IMPORT_STAT_FILE) {
        return PYEXEC_NORMAL_EXIT;
    }
    vstr_t import;
    vstr_init(&import, 24);
    vstr_add_str(&import, "import runtime.boot");
    int status = pyexec_vstr(&import, false);
    vstr_clear(&import);
    return status;
}

// A device boots into its application and then the REPL; Ctrl-D or
// sys.exit() at the REPL reboots MicroPython (not the board).
static int run_board(void) {
    if (run_boot_module() & PYEXEC_FORCED_EXIT) {
        return SOFT_REBOOT;
    }
    for (;;) {
        int status = pyexec_mode_kind == PYEXEC_MODE_RAW_REPL
            ? pyexec_raw_repl() : pyexec_friendly_repl();
        if (console_closed()) {
            return 0;
        }
        if (status & PYEXEC_FORCED_EXIT) {
            return SOFT_REBOOT;
        }
    }
}

// The posix board's command line: `firmware SCRIPT [ARGS]` or
// `firmware -c CODE`; the exit status is the script's.
static int run_command_line(int argc, char **argv) {
    int status;
    if (strcmp(argv[1], "-c") == 0 && argc > 2) {
        vstr_t code;
        vstr_init(&code, strlen(argv[2]) + 1);
        vstr_add_str(&code, argv[2]);
        status = pyexec_vstr(&code, true);
        vstr_clear(&code);
    } else {
        if (mp_import_stat(argv[1]) != MP_IMPORT_STAT_FILE) {
            mp_printf(&mp_plat_print, "%s: cannot open '%s': no such file\n", argv[0], argv[1]);
            return 2;
        }
        // As CPython: the script's folder is searched for modules, after
        // the image.
        const char *slash = strrchr(argv[1], '/');
        size_t folder = slash ? (size_t)(slash - argv[1]) : 0;
        mp_obj_list_store(mp_sys_path, MP_OBJ_NEW_SMALL_INT(1),
            mp_obj_new_str(argv[1], slash == argv[1] ? 1 : folder));
        status = pyexec_file(argv[1]);
    }
    return status & ~PYEXEC_FORCED_EXIT;
}

int libos_main(int argc, char **argv) {
    hw_board_init();    // clocks
    mem_init();         // paint the stack, for mem()['stack_peak']
    reset_boot();       // why did we reset? read, then clear the record
    hw_fault_init();    // faults report, record 'fault' and reset
    console_init();     // the REPL's UART, Ctrl-C by interrupt
    clock_init();       // the microsecond clock and the deadline timer
    hw_budget_init();   // the slice budget timer
    uart_init();        // the extra UARTs, interrupt-driven
    for (;;) {
        python_init(argc, argv);
        int status = argc > 1 ? run_command_line(argc, argv) : run_board();
        budget_disarm();
        gc_sweep_all();
        mp_deinit();
        if (status != SOFT_REBOOT) {
            return status;
        }
        console_write("MPY: soft reboot\r\n", 18);
    }
}

unsigned runtime_collections;

// A collection inside a process's slice is not the process's time: the
// slice budget stands still meanwhile (libos/budget.h).
void gc_collect(void) {
    runtime_collections++;
    budget_pause();
    gc_collect_start();
    gc_helper_collect_regs_and_stack();
    gc_collect_end();
    budget_resume();
}

void nlr_jump_fail(void *val) {
    (void)val;
    static const char text[] = "nlr_jump_fail: an exception escaped all handlers";
    console_write(text, sizeof(text) - 1);
    reset_board(RESET_FAULT, text, sizeof(text) - 1);
}
