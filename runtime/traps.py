"""Traps: the only place that yields to the scheduler.

A trap is a call into the scheduler that may have to wait: `await
receive()`, `await sleep(ms)`, `await checkpoint()`, `await
hibernate(fn, *args)`. Each wrapper below
stores its request and returns the one shared awaitable, _TRAP
(compat.Trap). Awaiting it calls _advance, which runs the trap's handler
(receive.TRAPS; hibernation.trap_hibernate) inside the calling process: a result completes the await
at once; BLOCK suspends the process. When the scheduler resumes a
suspended process, the await steps again: _advance then finds the value
the process was woken with in SCHEDULER.resuming and completes the await
with it (RESCAN: a receive has new messages to look at). NOVALUE there
means "not resuming": None is a value like any other.

Why not `async def` wrappers, as curio has: calling an `async def` function
makes a coroutine, and on MicroPython that is a heap allocation of several
blocks, which sends the allocator scanning the heap; a receive per message
would pay it on every message. Awaiting _TRAP allocates nothing (on our
firmware, not even the StopIteration that carries the result).

Await a wrapper's result where it is called (`await receive()`): a wrapper
called but not awaited does nothing, its request is overwritten by the next
one; awaiting the same result twice raises TypeError.
"""
from runtime.compat import Trap
from runtime.hibernation import trap_hibernate
from runtime.process import EXITING, NOVALUE, RESCAN
from runtime.receive import BLOCK, QUOTA, resume
from runtime.scheduler import SCHEDULER
from runtime.terms import ProcessExit

_receive = SCHEDULER.trap("receive")
_sleep = SCHEDULER.trap("sleep")
_checkpoint = SCHEDULER.trap("checkpoint")


class _Request:
    handler = None  # the trap asked for: handler(scheduler, process, a, b); None once taken
    a = None
    b = None


_REQUEST = _Request()


def _advance():
    """One step of an await on _TRAP, in the awaiting process."""
    s = SCHEDULER
    value = s.resuming
    if value is not NOVALUE:
        s.resuming = NOVALUE
        if value is RESCAN:
            return resume(s, s.current)
        return value
    request = _REQUEST
    handler = request.handler
    if handler is None:
        raise TypeError("a runtime trap was awaited twice")
    request.handler = None
    p = s.current
    if p.status is EXITING:  # it is being ended: no more waiting
        raise ProcessExit(p.result)
    return handler(s, p, request.a, request.b)


try:
    # Our firmware's (firmware/sched_trap.c): _advance in C, and a plain
    # `await receive()` without a Python call.
    from _runtime import SchedulerTrap
    _TRAP = SchedulerTrap(SCHEDULER, _REQUEST, BLOCK, NOVALUE, RESCAN, resume, ProcessExit,
                          _receive, QUOTA)
except ImportError:
    _TRAP = Trap(_advance, BLOCK)


def _outside(what):
    # Out of line: the wrappers only test SCHEDULER.current, on the hot path.
    raise RuntimeError("%s must be called from a process" % what)


def receive(*patterns, timeout=None):
    """Await the first message that matches one of `patterns` (any message if
    none are given), leaving the others queued in order; return TIMEOUT if
    none arrives within `timeout` ms of the call (None: wait forever, 0: only
    look at what is queued). See patterns.py for what a pattern can be."""
    if SCHEDULER.current is None:
        _outside("receive()")
    request = _REQUEST
    request.handler = _receive
    request.a = patterns
    request.b = timeout
    return _TRAP


def sleep(ms):
    """Await `ms` milliseconds; messages stay queued. `sleep(0)` lets the
    other ready processes run first."""
    if SCHEDULER.current is None:
        _outside("sleep()")
    request = _REQUEST
    request.handler = _sleep
    request.a = ms
    request.b = None
    return _TRAP


def checkpoint():
    """Await this in a long loop: it lets the other ready processes run
    first only when the slice has run long (QUOTA reductions or
    CHECKPOINT_US of time), and otherwise returns at once, so a loop stays
    a good citizen, and clear of the slice budget, without paying a yield
    per iteration."""
    if SCHEDULER.current is None:
        _outside("checkpoint()")
    request = _REQUEST
    request.handler = _checkpoint
    request.a = request.b = None
    return _TRAP


def hibernate(fn, *args):
    """Await this as the last thing a process does: its coroutine, with
    every frame in it, is dropped, and the process waits for a message
    holding no more than `fn` and `args`; the message starts
    `await fn(*args)`, whose first receive() (without patterns) returns it.
    The await never completes. See hibernation.py."""
    if SCHEDULER.current is None:
        _outside("hibernate()")
    request = _REQUEST
    request.handler = trap_hibernate
    request.a = fn
    request.b = args
    return _TRAP
