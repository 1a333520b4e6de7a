"""The one place that knows which Python runs the runtime.

Everything else in runtime/ is the same code on MicroPython (the device, the
posix firmware, the stock unix port) and on CPython.
"""
import sys

MICROPYTHON = sys.implementation.name == "micropython"

# Bytes per machine word: the unit of the memory estimates in process_info.
WORD = 4 if sys.maxsize < (1 << 32) else 8

try:
    # Our firmware's: completes an await without allocating (firmware/modruntime.c).
    from _runtime import Trap
except ImportError:
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


async def _sample():
    pass


_probe = _sample()
_COROUTINE = type(_probe)  # what calling an async def function returns
_probe.close()  # never run: closed so that CPython does not warn about it
del _probe

if MICROPYTHON:
    import io

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
