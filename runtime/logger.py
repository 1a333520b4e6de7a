"""The logger: levels, reports, console output and a ring of recent reports.

Every report is kept in a bounded ring (the last RING_SIZE), whatever the
console level, so a live board can be asked what went wrong recently with
`recent()`. Reports at or above the console level are also printed on the
console. Small on purpose: the OTP issue adds handlers and formatters.
"""
from runtime.compat import format_exception

LEVELS = ("debug", "info", "warning", "error")
RING_SIZE = 16

_console = 1  # index in LEVELS of the lowest level printed; len(LEVELS): none
_ring = []    # (level, text) of the latest reports, oldest first


def set_level(level):
    """Print reports at `level` and above on the console ('none': print
    nothing); return the previous level."""
    global _console
    if level == "none":
        index = len(LEVELS)
    elif level in LEVELS:
        index = LEVELS.index(level)
    else:
        raise ValueError("unknown log level %r; levels: %s, none" % (level, ", ".join(LEVELS)))
    previous = LEVELS[_console] if _console < len(LEVELS) else "none"
    _console = index
    return previous


def log(level, text):
    """Record a report and print it if `level` reaches the console level."""
    index = LEVELS.index(level)
    if len(_ring) >= RING_SIZE:
        del _ring[0]
    _ring.append((level, text))
    if index >= _console:
        print(text)


def recent():
    """The latest reports, oldest first, as (level, text) pairs."""
    return list(_ring)


def clear():
    """Forget the recorded reports."""
    del _ring[:]


def describe(reason):
    """An exit reason as text, the same on every target ('ValueError: boom'
    for an exception, repr otherwise)."""
    if isinstance(reason, BaseException):
        text = str(reason)
        return type(reason).__name__ + (": " + text if text else "")
    return repr(reason)


def crash_report(pid, name, reason, exc):
    """Report that process `pid` (registered as `name`, or None) exited with
    `reason` because `exc` was raised in it."""
    head = "=CRASH REPORT==== process %r%s exited\n  reason: %s" % (
        pid, "" if name is None else " (%s)" % name, describe(reason))
    try:
        trace = format_exception(exc).rstrip("\n")
        text = head + "\n  " + trace.replace("\n", "\n  ")
    except MemoryError:
        text = head  # too little memory left to format the traceback
    log("error", text)
