"""The one place that knows which Python runs the runtime.

Everything else in runtime/ is the same code on MicroPython (the device, the
posix firmware, the stock unix port) and on CPython.
"""
import sys

MICROPYTHON = sys.implementation.name == "micropython"

# Bytes per machine word: the unit of the memory estimates in process_info.
WORD = 4 if sys.maxsize < (1 << 32) else 8

try:
    # Our firmware's (firmware/modruntime.c): an await that allocates
    # nothing, a slice that a runaway cannot outlast, and a count of the
    # heap's collections.
    from _runtime import Runner, Trap, collections
except ImportError:
    def collections():
        """How many times the heap was collected: unknown here (the host's
        heap is not ours to watch), so always 0."""
        return 0

    class Trap:
        """Trap(advance, block): an awaitable each step of which calls
        advance(); the result `block` suspends the awaiting coroutine, any
        other completes the await with that value."""

        def __init__(self, advance, block):
            self.advance = advance
            self.block = block

        def __iter__(self):
            return self

        __await__ = __iter__

        def __next__(self):
            result = self.advance()
            if result is self.block:
                return result
            raise StopIteration(result)

    class Runner:
        """Runner(done, failed, expired): runs one slice of a coroutine under
        the slice budget and says how it ended, as firmware/modruntime.c
        does. resume(coro) sends None into it, throw(coro, exc) throws exc;
        each returns what the coroutine yielded, or `done` (it returned),
        `failed` (it raised: error() is the exception) or `expired` (its
        budget ran out during the slice, whatever it did then: error() is
        what it raised, or None). budget(us) sets the budget of every slice
        (0: none); elapsed_us() is the time since the running slice began.

        Here (CPython, or a MicroPython without the native runner) a
        coroutine that catches SliceExpired every time it comes can keep
        its slice: only the native runner can leave a coroutine without
        its consent."""

        def __init__(self, done, failed, expired):
            self._done = done
            self._failed = failed
            self._expired = expired
            self._us = 0
            self._error = None
            self._started = 0

        def budget(self, us):
            self._us = us

        def error(self):
            return self._error

        def elapsed_us(self):
            return _ticks_diff(_ticks_us(), self._started)

        def resume(self, coro):
            return self._run(coro, None)

        def throw(self, coro, exc):
            return self._run(coro, exc)

        def _run(self, coro, exc):
            us = self._us
            self._error = None
            self._started = _ticks_us()
            if us:
                _arm(us)
            try:
                out = coro.send(None) if exc is None else coro.throw(exc)
            except StopIteration:
                out = self._done
            except BaseException as e:
                self._error = e
                out = self._failed
            # Armed sparing this frame (libos/cpython/libos.py): no cut can
            # land between the coroutine's end and the disarm.
            if us and _budget(0):
                return self._expired
            return out

    from libos import budget as _budget, ticks_diff as _ticks_diff, ticks_us as _ticks_us

    def _arm(us):
        """Arm the budget so that it is never raised in Runner._run itself
        (spare_caller: the CPython libos's; a MicroPython without the native
        runner has no such guard, and a cut can land there)."""
        if MICROPYTHON:
            _budget(us)
        else:
            _budget(us, True)


async def _sample():
    pass


_probe = _sample()
_COROUTINE = type(_probe)  # what calling an async def function returns
_probe.close()  # never run: closed so that CPython does not warn about it
del _probe

if MICROPYTHON:
    import io

    import micropython

    def interruptible(flag):
        """Let Ctrl-C at the console interrupt what runs now (True), or not."""
        micropython.kbd_intr(3 if flag else -1)

    def abandon(runner, coro):
        """Let go of `coro` without running more of its code. A MicroPython
        generator has no finaliser: dropping it is enough."""

    def format_exception(exc):
        """The traceback and message of `exc`, as the console prints them."""
        out = io.StringIO()
        sys.print_exception(exc, out)
        return out.getvalue()

    # On MicroPython an `async def` function is a generator function: the two
    # cannot be told apart, so both are accepted. Bound methods and closures
    # carry no trace of what they wrap; they are called and their result
    # checked (see start_coroutine).
    _ASYNC_FUNCTION = type(_sample)

    class _Probe:
        def method(self):
            pass

    def _closure(x):
        async def inner():
            return x
        return inner

    _OPAQUE = (type(_Probe().method), type(_closure(0)))

    def start_coroutine(fn, args):
        """The coroutine `fn(*args)`, or TypeError if fn is not async."""
        kind = type(fn)
        if kind is _ASYNC_FUNCTION:
            return fn(*args)
        if kind in _OPAQUE:
            coro = fn(*args)
            if type(coro) is _COROUTINE:
                return coro
        raise TypeError("spawn needs an async def function, got %r" % (fn,))

else:
    import traceback

    def interruptible(flag):
        """Ctrl-C is the host's business here (a signal)."""

    def abandon(runner, coro):
        """Let go of `coro` without running more of its code, as far as
        CPython allows: a suspended coroutine is closed when collected,
        which runs its `finally` blocks then, wherever that is; close it
        now instead, under the slice budget."""
        if coro is not None and coro.cr_frame is not None and not coro.cr_running:
            runner.throw(coro, GeneratorExit())

    _CO_COROUTINE = 0x80  # code flag of an `async def` function

    def format_exception(exc):
        """The traceback and message of `exc`, as the console prints them."""
        return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))

    def start_coroutine(fn, args):
        """The coroutine `fn(*args)`, or TypeError if fn is not async."""
        code = getattr(getattr(fn, "__func__", fn), "__code__", None)
        if code is None or not code.co_flags & _CO_COROUTINE:
            raise TypeError("spawn needs an async def function, got %r" % (fn,))
        return fn(*args)


def is_coroutine(value):
    """True if `value` is what calling an async def function returns (a
    callback or start function that is async: the caller awaits it)."""
    return type(value) is _COROUTINE
