"""The terms the runtime hands out: Pid, Ref, the ANY and TIMEOUT markers,
ProcessExit, the exception that ends a process, and SystemLimit.

A Pid and a Ref are compared by identity, as Erlang compares them by value:
each is made once and never copied (messages share them, see isolation.py).
"""


class Pid:
    """Names one process, printed like Erlang's `<0.N.0>`.

    A Pid outlives its process: sending to it afterwards is silently dropped.
    """

    def __init__(self, n, proc):
        self.n = n
        self._proc = proc  # the live process record; None once it has exited

    def __repr__(self):
        return "<0.%d.0>" % self.n

    def __lt__(self, other):
        return self.n < other.n


class Ref:
    """A unique reference, printed like Erlang's `#Ref<0.N>`.

    Monitors and timers hang their bookkeeping on their Ref (the class-level
    None defaults below), so neither needs a table keyed by Ref.
    """

    watcher = None  # monitor: the watching process record, None once ended
    target = None   # monitor: the watched process record
    timer = None    # send_after: the timer entry

    def __init__(self):
        global _last_ref
        _last_ref += 1
        self.n = _last_ref

    def __repr__(self):
        return "#Ref<0.%d>" % self.n


_last_ref = 0


class _Marker:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


ANY = _Marker("ANY")          # a receive pattern that matches anything
TIMEOUT = _Marker("TIMEOUT")  # what receive returns when its timeout passes


class ProcessExit(BaseException):
    """Ends the process it is raised in, with `reason` as its exit reason.

    `exit(reason)` raises it, and the scheduler throws it into a process that
    an exit signal killed. It derives from BaseException so that an
    `except Exception` in user code cannot swallow it.
    """

    @property
    def reason(self):
        return self.args[0]


class SystemLimit(Exception):
    """A system limit was reached, as OTP's system_limit error: spawn when
    as many processes live as runtime.limits() allows."""
