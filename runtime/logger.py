"""The logger: levels, reports, console output and a ring of recent reports.

Levels, lowest first: debug, info, notice, warning, error, critical (those
of OTP's logger that a board needs; 'none' silences the console). As in
OTP, a primary level (`set_primary_level`, 'debug' at boot) comes first: a
report below it is dropped before it is made, and 'none' turns the logger
off, so a system that wants no reports pays nothing for them. Every
report it lets through is kept in a bounded ring (the last RING_SIZE, and at most
RING_BYTES of text: a report longer than REPORT_BYTES keeps its head and
its tail), whatever the console level, so a live board can be asked what
went wrong recently: `recent()` at its REPL, or from a tool over the raw
REPL. Reports at or above the console level (CONSOLE_LEVEL at boot, as
OTP's default) are also printed.

A report must not fail for want of memory, nor for an exit reason that
misbehaves: `describe` is bounded in depth and length and survives a
__str__ or __repr__ that raises; a report that cannot be made in full is
made shorter (the traceback goes first).

Console output is compact and the same on every target: a report is one or
two lines naming pids, ids and reasons (`describe`). A crash report's
traceback, which differs between Pythons, is kept in the ring and printed
only when the console level is 'debug'.

The reports:
- crash report (error): a process exited with an exception or an abnormal
  `exit(reason)`; pid, registered name, reason and traceback.
- supervisor report (see `supervisor_report`): child_started (info),
  child_restarted (notice), child_terminated (error, or info when the exit
  was normal), start_error and shutdown_error (error), and shutdown (error)
  when a supervisor reached its restart intensity and gives up.
- boot reports (runtime.boot): the previous reset, the root's exit.

Handlers (`add_handler`) see every report as it is made, with its facts as a
dict for crash and supervisor reports: what a tool or an application needs
to follow what the supervisors do without parsing text.
"""
import libos

from runtime.compat import format_exception

LEVELS = ("debug", "info", "notice", "warning", "error", "critical")
CONSOLE_LEVEL = "notice"
RING_SIZE = 32
RING_SHARE = 64          # the ring's text may take 1/64 of the heap ...
RING_BYTES_MAX = 16384   # ... up to 16 KiB
REPORT_SHARE = 4         # one report at most a quarter of the ring
DESCRIBE_DEPTH = 8       # nesting describe() shows
DESCRIBE_CHARS = 400     # characters it shows of one reason


def _ring_bytes():
    board = libos.board()
    if board["target"] == "cpython":
        return RING_BYTES_MAX
    return min(board["heap_bytes"] // RING_SHARE, RING_BYTES_MAX)


RING_BYTES = _ring_bytes()
REPORT_BYTES = RING_BYTES // REPORT_SHARE

_INDEX = {level: i for i, level in enumerate(LEVELS)}  # (records() is on the restart path)
_console = _INDEX[CONSOLE_LEVEL]  # lowest level printed; len(LEVELS): none
_primary = 0  # lowest level recorded at all; len(LEVELS): none
_ring = []  # (level, text) of the latest reports, oldest first
_ring_bytes_used = 0  # characters of text in _ring
_handlers = []  # called with every report, in the order added


def set_level(level):
    """Print reports at `level` and above on the console ('none': print
    nothing); return the previous level."""
    global _console
    previous = _console
    _console = _index(level)
    return _name(previous)


def set_primary_level(level):
    """Record reports at `level` and above (ring, handlers, console) and
    drop the others unmade, as OTP's logger:set_primary_config(level, L);
    'none' turns the logger off. Return the previous level."""
    global _primary
    previous = _primary
    _primary = _index(level)
    return _name(previous)


def _index(level):
    if level == "none":
        return len(LEVELS)
    if level in _INDEX:
        return _INDEX[level]
    raise ValueError("unknown log level %r; levels: %s, none" % (level, ", ".join(LEVELS)))


def _name(index):
    return LEVELS[index] if index < len(LEVELS) else "none"


def records(level):
    """True if a report at `level` would be made at all (the primary level):
    what it takes to make one need not be spent otherwise."""
    return _INDEX[level] >= _primary


def log(level, text, detail=None, facts=None):
    """Record a report and print it if `level` reaches the console level
    (drop it unmade below the primary level). `detail` (more lines) joins
    the text in the ring, and on the console only at level 'debug'. `facts`
    (a dict) goes to the handlers."""
    global _ring_bytes_used
    index = _INDEX[level]
    if index < _primary:
        return
    full = _shortened(text if detail is None else text + "\n" + detail)
    while _ring and (len(_ring) >= RING_SIZE or _ring_bytes_used + len(full) > RING_BYTES):
        _ring_bytes_used -= len(_ring.pop(0)[1])
    _ring.append((level, full))
    _ring_bytes_used += len(full)
    if index >= _console:
        print(full if _console == 0 else text)
    for handler in list(_handlers) if _handlers else ():
        try:
            handler(level, text, facts)
        except Exception as e:
            # A broken handler must not break the process that reported.
            remove_handler(handler)
            log("error", "logger handler %r removed; it raised %s" % (handler, describe(e)))


def prints(level):
    """True if reports at `level` reach the console."""
    index = _INDEX[level]
    return index >= _console and index >= _primary


def add_handler(handler):
    """Call handler(level, text, facts) for every report from now on. facts
    is None, or a dict: {'kind': 'crash', 'pid', 'name', 'reason'} or
    {'kind': 'supervisor', 'supervisor', 'name', 'event', 'id', 'pid',
    'reason'} (id and pid None when the event is the supervisor's own). A
    handler that raises is removed."""
    _handlers.append(handler)


def remove_handler(handler):
    if handler in _handlers:
        _handlers.remove(handler)


def recent():
    """The latest reports, oldest first, as (level, text) pairs."""
    return list(_ring)


def clear():
    """Forget the recorded reports."""
    global _ring_bytes_used
    del _ring[:]
    _ring_bytes_used = 0


def _shortened(text):
    """`text`, or its head and tail when it is longer than REPORT_BYTES."""
    if len(text) <= REPORT_BYTES:
        return text
    half = REPORT_BYTES // 2 - 16
    return text[:half] + "\n  ...\n" + text[-half:]


def describe(reason):
    """An exit reason as text, the same on every target: an exception as
    'ValueError: boom', tuples item by item, anything else by repr; at most
    DESCRIBE_DEPTH deep and about DESCRIBE_CHARS long."""
    text = _describe(reason, DESCRIBE_DEPTH)
    return text if len(text) <= DESCRIBE_CHARS else text[:DESCRIBE_CHARS - 3] + "..."


def _describe(reason, depth):
    if depth == 0:
        return "..."
    try:
        if isinstance(reason, BaseException):
            text = str(reason)
            return type(reason).__name__ + (": " + text if text else "")
        kind = type(reason)
        if kind is tuple or kind is list:
            items = []
            size = 0
            for item in reason:
                if size > DESCRIBE_CHARS:
                    items.append("...")
                    break
                items.append(_describe(item, depth - 1))
                size += len(items[-1])
            text = ", ".join(items)
            if kind is list:
                return "[" + text + "]"
            return "(" + text + ("," if len(items) == 1 else "") + ")"
        if (kind is dict or kind is set) and len(reason) > DESCRIBE_DEPTH:
            return "<%s of %d items>" % (kind.__name__, len(reason))
        text = repr(reason)
    except MemoryError:
        raise
    except Exception as e:  # a __str__ or __repr__ that raises
        return "<%s, unprintable: %s>" % (type(reason).__name__, type(e).__name__)
    return text if len(text) <= DESCRIBE_CHARS else text[:DESCRIBE_CHARS - 3] + "..."


def _process(pid, name):
    return repr(pid) if name is None else "%r (%s)" % (pid, name)


def crash_report(pid, name, reason, exc):
    """Report that process `pid` (registered as `name`, or None) exited with
    `reason` because `exc` was raised in it."""
    if not records("error"):
        return
    head = "=CRASH REPORT==== process %s exited\n  reason: %s" % (
        _process(pid, name), describe(reason))
    try:
        trace = "  " + format_exception(exc).rstrip("\n").replace("\n", "\n  ")
    except MemoryError:
        trace = None  # too little memory left to format the traceback
    log("error", head, trace, {"kind": "crash", "pid": pid, "name": name, "reason": reason})


def supervisor_report(level, sup, name, event, child=None, reason=None):
    """Report what supervisor `sup` (registered as `name`) did or saw:
    `event` happened to `child`, an (id, pid) pair (or None: to the
    supervisor itself), with `reason` when there is one."""
    if not records(level):
        return
    text = "=SUPERVISOR REPORT==== %s %s" % (_process(sup, name), event)
    if child is not None:
        text += ": id %r, pid %r" % child
    if reason is not None:
        text += (", reason " if child is not None else ": reason ") + describe(reason)
    child_id, child_pid = child if child is not None else (None, None)
    log(level, text, None, {"kind": "supervisor", "supervisor": sup, "name": name,
                            "event": event, "id": child_id, "pid": child_pid, "reason": reason})
