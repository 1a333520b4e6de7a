"""Process lifecycle: spawn, the end of a slice, and the exit path.

A process's code runs only in slices (scheduler.py, phase 3), each through
the runner (compat.Runner; firmware/modruntime.c on our firmware), which
says how the slice ended:
- BLOCK: it waits in a trap; nothing to do here;
- DONE: it returned: it exits with 'normal';
- FAILED: it raised: it exits with the exception (ProcessExit: its reason);
- EXPIRED: it ran past its slice budget, a runaway: it exits with
  ('slice_exceeded', ms) whether or not it caught the SliceExpired it got,
  and its coroutine is abandoned, never resumed (on our firmware the runner
  leaves it from C if it is still running at the budget's repeat);
- anything else it yielded: it awaited something that is not a trap, and
  gets a TypeError; doing it again ends it.
A process killed by an exit signal is ended when next picked (`terminate`):
ProcessExit is thrown into it under the budget, so that its `finally`
blocks run; if it catches that and goes on waiting, it is abandoned.

The exit path (`finish`) must finish whatever the process left behind,
even with the heap full: it stores only fields the record already has,
settles the exit reason (isolation.settle) and renders the crash report
under the slice budget (`guarded`: a reason's __str__ is user code), and
hands each EXIT and DOWN to signals.process_exited, which makes room
(memory.py) when the heap runs out. `s` is the scheduler throughout.
"""
from libos import SliceExpired

from runtime import limits, links, logger, monitors, registry, signals
from runtime.compat import abandon, start_coroutine
from runtime.isolation import SHARED, Unsettled, copy_term, settle
from runtime.process import DEAD, EXITING, NOVALUE, PRIORITIES, Process
from runtime.receive import BLOCK
from runtime.terms import Pid, ProcessExit, Ref, SystemLimit

# Made once: the heap may be full when they are needed (in MicroPython a
# tuple of names, like any object, is made where it is written).
_ESCAPES = (KeyboardInterrupt, SystemExit)
_FOREIGN = TypeError("a process awaited something that is not a runtime trap")
_CUT = SliceExpired()
_OUT_OF_MEMORY = ("bad_exit_reason", "out_of_memory")
_RAISED = ("bad_exit_reason", "raised")
_TOO_DEEP = ("bad_exit_reason", "too_deep")

_ONE_ARG = object()  # guarded() was given one argument

DONE = object()     # the slice ended because the coroutine returned
FAILED = object()   # ... because it raised
EXPIRED = object()  # ... because its budget ran out (runner.error(): what it raised)


# Spawn ------------------------------------------------------------------

def spawn(s, fn, args, link, monitor, priority, name, max_queue):
    """Start a process running fn(*args) (see api.spawn_opt); it runs when
    the scheduler next gets to its queue."""
    try:
        level = PRIORITIES.index(priority)
    except ValueError:
        raise ValueError("priority must be one of %s, got %r"
                         % (", ".join(PRIORITIES), priority)) from None
    if type(args) is not tuple and type(args) is not list:
        raise TypeError("spawn_opt: args must be a tuple or a list, got %r" % (args,))
    if max_queue is not None:
        limits.check("max_queue", max_queue)
    parent = s.current
    if parent is None and (link or monitor):
        raise RuntimeError("spawn with link or monitor needs a calling process")
    if name is not None:
        registry.check_name(s, name)
    if s.table.count >= limits.process_limit:
        raise SystemLimit("system_limit: %d processes are alive, the most allowed "
                          "(runtime.set_limits)" % s.table.count)
    s.reds += 1
    coro = start_coroutine(fn, copy_term(tuple(args)) if args else ())
    s.last_pid += 1
    pid = Pid(s.last_pid, None)
    p = Process(pid, coro, fn, level)
    ref = Ref() if monitor else None
    if max_queue is not None:
        p.max_queue = max_queue
    queue = s.runq.queues[p.priority]
    queue.append(p)
    try:
        s.table.add(p)
        pid._proc = p
        if name is not None:
            registry.register(s, name, p)
        if link:
            links.add(parent, pid)
            p.links = parent.pid  # (links.add on a fresh record, without the call: spawn's path)
        if monitor:
            monitors.start(parent, ref)
            monitors.watched(p, ref)  # (the MONITOR signal's effect: `p` is alive and here)
    except BaseException:
        # Out of memory (or out of slice) half way: undo every store, so
        # that the caller gets the exception and no process exists that
        # nothing could ever run or end.
        _unspawn(s, p, queue, parent, ref)
        raise
    return (pid, ref) if monitor else pid


def _unspawn(s, p, queue, parent, ref):
    if queue and queue[-1] is p:
        queue.pop()
    pid = p.pid
    if s.table.get(pid.n) is p:
        s.table.remove(p)
    pid._proc = None
    registry.exited(s, p)
    if parent is not None:
        links.undo_last(parent, pid)
        if ref is not None:
            monitors.undo_last(parent, ref)
    p.status = DEAD
    abandon(s.runner, p.coro)


# The end of a slice -------------------------------------------------------

def slice_ended(s, p, out):
    """`p`'s slice ended with `out`, which is not BLOCK (see above)."""
    runner = s.runner
    if out is DONE:
        finish(s, p, p.result if p.status is EXITING else "normal", None)
    elif out is FAILED:
        exc = runner.error()
        if isinstance(exc, SliceExpired):
            slice_ended(s, p, EXPIRED)  # a cut that came as the slice ended
        elif p.status is EXITING:  # an exit signal it sent itself
            finish(s, p, p.result, None)
        elif isinstance(exc, ProcessExit):
            finish(s, p, exc.reason, exc)
        elif isinstance(exc, _ESCAPES):
            s.escape = exc
            s.trouble = True
            finish(s, p, exc, None)
        else:
            if isinstance(exc, MemoryError):
                # Reclaim the dead process's heap now, from this shallow
                # stack: MicroPython's GC is conservative, and a collection
                # deep inside the next allocation can find stale words on
                # the C stack that keep it all alive.
                p.coro = None
                s.memory.ran_out(s)
            finish(s, p, exc, exc)
    elif out is EXPIRED:
        # A cut may have fallen between the stores of a wake-up it was
        # making (runq.py): the queues are rebuilt after the round.
        s.cut = s.trouble = True
        crash = runner.error()  # None if it was left from C before it saw its cut
        abandon(runner, p.coro)
        finish(s, p, s.slice_reason, _CUT if crash is None else crash)
    else:
        _foreign(s, p, out)


def _foreign(s, p, value):
    """`p` yielded `value` from an await that is not a runtime trap: throw
    TypeError into it; yielding such a value again ends it."""
    try:
        error = TypeError("a process awaited something that yielded %r; only the "
                          "runtime's traps (receive, sleep, checkpoint) and async "
                          "functions that await them can be awaited" % (value,))
    except MemoryError:
        error = _FOREIGN
    s.current = p
    s.resuming = NOVALUE
    out = s.runner.throw(p.coro, error)
    s.current = None
    if out is BLOCK:
        return
    if out is DONE or out is FAILED or out is EXPIRED:
        slice_ended(s, p, out)
    else:
        abandon(s.runner, p.coro)
        finish(s, p, error, None)


def terminate(s, p):
    """End `p`, which is EXITING: throw ProcessExit into it under the
    budget; abandon it if it goes on waiting."""
    reason = p.result
    try:
        exc = ProcessExit(reason)
    except MemoryError:
        exc = None  # no room even for the exception: no finally block runs
    if exc is not None:
        s.current = p
        s.resuming = NOVALUE
        out = s.runner.throw(p.coro, exc)
        s.current = None
        if out is FAILED and isinstance(s.runner.error(), _ESCAPES):
            s.escape = s.runner.error()
            s.trouble = True
        if out is not DONE and out is not FAILED:
            abandon(s.runner, p.coro)
    else:
        abandon(s.runner, p.coro)
    finish(s, p, reason, None)


# The exit path ---------------------------------------------------------------

def finish(s, p, reason, crash):
    """Record that `p` exited with `reason` and tell the others; `crash`
    is the exception to report, or None."""
    p.status = DEAD
    s.table.remove(p)
    p.pid._proc = None
    p.coro = None
    if p.mailbox is not None:
        p.mailbox = None
    p.result = NOVALUE
    if p.timer is not None:
        s.timers.drop(p.timer)
        p.timer = None
    inbound = p.inbound
    if inbound is not None:
        p.inbound = None
        for seq in inbound:  # (not .values(): a view is an allocation)
            s.timers.drop(inbound[seq])
    # (The fields registry and sources own are read here only to spare
    # the common process, with no name and no claims, a call to each.)
    if p.name is not None:
        registry.exited(s, p)
    if p.claims is not None:
        s.sources.exited(p)
    settled = reason if type(reason) is str else _settled(s, reason)  # ('normal': no call)
    if crash is not None and p.reports and not _quiet(settled) and logger.records("error"):
        _crash_report(s, p, settled, crash)
    signals.process_exited(s, p, settled)
    if p is s.main:
        s.main = None
        s.main_reason = reason


def _settled(s, reason):
    """`reason`, or a copy the exit path can copy again cheaply, or a
    stand-in ('bad_exit_reason', why) for one it cannot carry."""
    kind = type(reason)
    if kind in SHARED or isinstance(reason, BaseException):
        return reason
    if kind is tuple:
        for item in reason:
            if type(item) not in SHARED:
                break
        else:
            return reason
    value = guarded(s, settle, reason)
    if value is FAILED and isinstance(s.guard_error, MemoryError) and s.memory.relieve(s):
        value = guarded(s, settle, reason)
    if value is not FAILED:
        return value
    error = s.guard_error
    if isinstance(error, MemoryError):
        return _OUT_OF_MEMORY
    if isinstance(error, Unsettled):
        try:
            return ("bad_exit_reason", error.args[0])
        except MemoryError:
            return _OUT_OF_MEMORY
    if isinstance(error, RuntimeError):  # the C stack ran out before SETTLE_DEPTH
        return _TOO_DEEP
    return _RAISED


def _crash_report(s, p, reason, crash):
    if guarded(s, logger.crash_report, p.pid, p.name, reason, crash) is FAILED:
        try:
            logger.log("error", "=CRASH REPORT==== process %r exited; its report could not "
                       "be made (%s)" % (p.pid, type(s.guard_error).__name__))
        except MemoryError:
            if logger.prints("error"):
                print("=CRASH REPORT==== a process exited; no memory to report it")


def _quiet(reason):
    """Exit reasons that are no crash, as OTP's proc_lib sees them."""
    if type(reason) is str:
        return reason == "normal" or reason == "shutdown"
    return type(reason) is tuple and len(reason) == 2 and type(reason[0]) is str \
        and reason[0] == "shutdown"


def _one(fn, a):
    yield fn(a)


def _four(fn, a, b, c, d):
    yield fn(a, b, c, d)


def guarded(s, fn, a, b=_ONE_ARG, c=None, d=None):
    """Run fn(a) (or fn(a, b, c, d)) under the slice budget outside any
    process, as the scheduler must when it runs code a process chose (an
    exit reason's __str__, a logger handler): its result, or FAILED with
    what it raised (or None if it ran out of time) in s.guard_error. Made
    to allocate nothing itself before its `try`."""
    try:
        out = s.runner.resume(_one(fn, a) if b is _ONE_ARG else _four(fn, a, b, c, d))
        if out is FAILED:
            s.guard_error = s.runner.error()
        elif out is DONE or out is EXPIRED:
            s.guard_error = None
            out = FAILED
        return out
    except MemoryError as e:
        s.guard_error = e
        return FAILED
