"""Boot: the application on the board.

The firmware imports this module at boot when its image holds it (it always
does), then enters the REPL. Importing it:

1. reports the previous reset, from libos.reset_cause(): its cause
   ('watchdog', 'software', 'fault') and recorded reason, on the console
   and in logger.recent(). A plain power-on is not reported.
2. if the image holds an application, starts it and returns once its root
   supervisor is up (as OTP's application:start), or after STARTUP_MS, or
   at a Ctrl-C: the REPL then runs the system (libos.repl_hook(runtime.step))
   while it waits for input. Without one, it returns having done nothing
   more, and the REPL works as before.

The application contract: a module `app` (app.py at the image's root, from
`make firmware APP=folder`) with

    async def start():
        '''Start the root supervisor, linked to the caller; return its Pid.'''
        return await supervisor.start_link([...], name='root')

`start` runs in a boot process, which monitors the root. While the root
lives, the scheduler feeds the hardware watchdog (started with the app's
WATCHDOG_MS if it has one, else this module's) on every step and waits at
most a quarter of that between feeds, so a system whose loop stops turning
is reset by the hardware; slices run under the slice budget. When
the root exits with reason R (its restart intensity was reached, or it was
stopped), boot reports it and calls libos.reset('root exited: R'), the
text cut to what the reset record holds ('app did not start: R' when start
fails with R); the next boot reports it in (1). The raw REPL does not run the hook: a
tool holding the board there pauses the application.

On CPython, where there is no firmware and no REPL hook, `python -m
runtime.boot` (with the application's folder on PYTHONPATH) does the same
with main(): it runs the system until the root exits; libos.reset then ends
the process, and the next run reports it.
"""
import libos

from runtime import gen, logger
from runtime.application import find as application
from runtime.api import monitor, process_info, run, spawn, step, trap_exit
from runtime.compat import interruptible, is_coroutine
from runtime.scheduler import SCHEDULER, SLICE_MS
from runtime.terms import ANY, Pid, ProcessExit
from runtime.traps import receive

WATCHDOG_MS = 8000   # long enough for a command typed at the REPL, which stops the system
STARTUP_MS = 5000    # longest the prompt waits for the application to start
REASON_MAX = 120     # bytes of a reset reason the record holds (libos.reset's limit)


def report_reset():
    """Report why the board last reset, unless it was a plain power-on."""
    cause, reason = libos.reset_cause()
    if cause == "power" and reason is None:
        return
    level = "notice" if cause == "software" else "warning"
    text = "=BOOT==== previous reset: " + cause
    logger.log(level, text if reason is None else text + ", reason: " + reason)


def reset_text(what, reason):
    """'what: R' in at most REASON_MAX bytes."""
    text = what + ": " + logger.describe(reason)
    while len(text.encode()) > REASON_MAX:
        text = text[:-1]
    return text


async def keeper(app):
    """The boot process: start the application, keep the watchdog fed while
    its root lives, reset the board when it exits."""
    global _started
    trap_exit(True)  # the root's exit comes as a message, not as our end
    try:
        root = app.start()
        if is_coroutine(root):
            root = await root
        reason = None if type(root) is Pid else ("bad_return_value", root)
    except gen.Error as e:
        reason = e.reason
    except (Exception, ProcessExit) as e:
        reason = gen.exit_reason(e)
    if reason is not None:
        logger.log("critical", "=BOOT==== the application did not start: %s; resetting"
                   % logger.describe(reason))
        libos.reset(reset_text("app did not start", reason))
    ref = monitor(root)
    _started = True
    if process_info(root) is not None:
        watchdog_ms = getattr(app, "WATCHDOG_MS", WATCHDOG_MS)
        libos.wdt_start(watchdog_ms)
        SCHEDULER.watchdog(root, libos.wdt_feed, watchdog_ms * 250)
        logger.log("info", "=BOOT==== application started, root %r" % (root,))
    # Its exit signal, if linked as the contract says, carries its reason
    # even when it was gone before the monitor.
    end = await receive(("EXIT", root, ANY), ("DOWN", ref, ANY, ANY, ANY))
    reason = end[2] if end[0] == "EXIT" else end[4]
    logger.log("critical", "=BOOT==== root %r exited: %s; resetting"
               % (root, logger.describe(reason)))
    libos.reset(reset_text("root exited", reason))


_started = False  # set by keeper once the application's start() has returned


def run_until_started(timeout_ms):
    """Run the system until keeper has started the application, for at most
    `timeout_ms`, so that what is typed first at the prompt finds the
    application's servers up. Ctrl-C stops waiting, not the application."""
    t0 = libos.ticks_ms()
    interruptible(True)
    try:
        while True:
            wait = step()
            left = timeout_ms - libos.ticks_diff(libos.ticks_ms(), t0)
            # Checked before idling: the step that started the application
            # also armed the watchdog's feeds, and waits until the next one.
            if _started or left <= 0:
                return
            if wait != 0:
                libos.idle(left * 1000 if wait is None else min(wait, left * 1000))
    except KeyboardInterrupt:
        logger.log("warning", "=BOOT==== interrupted; the application goes on starting "
                   "under the prompt")
    finally:
        interruptible(False)


def left_to_make_node():
    """True in an image made by `make node`, whose node_main starts the
    application once the node is up (tools/node_image/joins_cluster.py)."""
    try:
        import joins_cluster  # noqa: F401
    except ImportError:
        return False
    return True


def boot():
    """What importing this module does on a board (see above); returns the
    boot process's Pid, or None without an application (or when `make node`
    starts it)."""
    report_reset()
    app = application()
    if app is None or left_to_make_node():
        return None
    SCHEDULER.slices(SLICE_MS)
    pid = spawn(keeper, app)
    libos.repl_hook(step)  # first: whatever happens next, the REPL runs the system
    run_until_started(STARTUP_MS)
    return pid


def main():
    """Boot and run the system until the root exits (CPython, or a script)."""
    report_reset()
    app = application()
    if app is None:
        logger.log("error", "=BOOT==== no module app to start")
        return
    run(keeper, app)


if __name__ == "__main__":
    main()
else:
    boot()
