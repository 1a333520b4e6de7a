"""Traps: the only place that yields to the scheduler.

A trap is a call into the scheduler that may have to wait: `await receive()`,
`await sleep(ms)`. Each wrapper below loads the request into the one shared
awaitable, `_TRAP`, and returns it; awaiting it runs the scheduler's handler
(`Scheduler.trap_<name>`) inside the calling process, and yields BLOCK to the
scheduler only when the process has to wait.

Why an object and not `async def` wrappers, as curio has: calling an `async
def` function makes a coroutine, and on MicroPython that is a heap allocation
of several blocks, which sends the allocator scanning the heap; a receive per
message would pay it on every message. Awaiting `_TRAP` allocates nothing
until it completes (the StopIteration carrying the result: single blocks).

The protocol, as both Pythons run `await obj` (a `yield from` over obj):
- `__next__` is called first: it runs the handler; a result completes the
  await at once (raise StopIteration(result)); BLOCK is yielded.
- on resume the scheduler calls `coro.send(value)` with the record's
  `result`, which reaches `send(value)` here: that completes the await with
  `value`. The scheduler never resumes with None (that would call __next__
  again): a None result travels as NONE. RESCAN asks to look at new messages.
- the scheduler's `coro.throw(exc)` raises exc at the await (no `throw` here).

Await a wrapper's result where it is called (`await receive()`): a wrapper
called but not awaited does nothing, its request is overwritten by the next
one; awaiting the same result twice raises TypeError.
"""
from runtime.process import EXITING
from runtime.scheduler import BLOCK, NONE, SCHEDULER
from runtime.signals import RESCAN
from runtime.terms import ProcessExit

_receive = SCHEDULER.trap("receive")
_sleep = SCHEDULER.trap("sleep")


class _Trap:
    handler = None  # the pending request: handler(process, a, b)
    a = None
    b = None

    def __iter__(self):
        return self

    __await__ = __iter__

    def __next__(self):
        handler = self.handler
        if handler is None:
            raise TypeError("a runtime trap was awaited twice")
        self.handler = None
        p = SCHEDULER.current
        if p.status is EXITING:  # it is being ended: no more waiting
            raise ProcessExit(p.exit_reason)
        result = handler(p, self.a, self.b)
        if result is BLOCK:
            return BLOCK
        raise StopIteration(result)

    def send(self, value):
        if value is RESCAN:
            value = SCHEDULER.resume_receive(SCHEDULER.current)
            if value is BLOCK:
                return BLOCK
        elif value is NONE:
            value = None
        raise StopIteration(value)


_TRAP = _Trap()


def _caller(what):
    if SCHEDULER.current is None:
        raise RuntimeError("%s must be called from a process" % what)


def receive(*patterns, timeout=None):
    """Await the first message that matches one of `patterns` (any message if
    none are given), leaving the others queued in order; return TIMEOUT if
    none arrives within `timeout` ms of the call (None: wait forever, 0: only
    look at what is queued). See patterns.py for what a pattern can be."""
    if SCHEDULER.current is None:
        _caller("receive()")
    trap = _TRAP
    trap.handler = _receive
    trap.a = patterns
    trap.b = timeout
    return trap


def sleep(ms):
    """Await `ms` milliseconds; messages stay queued. `sleep(0)` lets the
    other ready processes run first."""
    if SCHEDULER.current is None:
        _caller("sleep()")
    trap = _TRAP
    trap.handler = _sleep
    trap.a = ms
    trap.b = None
    return trap
