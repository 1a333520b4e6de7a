"""The terms the runtime hands out: Pid, Ref, the ANY and TIMEOUT markers,
ProcessExit, the exception that ends a process, and SystemLimit.

Pids and Refs compare and hash by value, as Erlang's do: a Pid of ours that
went to another node and came back is equal to the one we hold, dead or
alive. The runtime still makes one Pid per process and shares it (messages
are not copied for it, see isolation.py), so the common comparison is by
identity, which MicroPython and CPython decide before calling __eq__.

A Pid or Ref of this node has `_node` None: it belongs to whatever this
node is called now (Erlang renames a node's own pids when distribution
starts). One of another node, or of an older incarnation of this one, has
that node's name and creation (runtime/dist/external.py makes them).
"""


class Pid:
    """Names one process, printed like Erlang's `<0.N.0>` (another node's
    `<X.N.S>`, X a number for the node, as erl numbers them per node).

    A Pid outlives its process: sending to it afterwards is silently dropped.
    """

    _node = None   # None: this node; else another node's name (a str)
    creation = 0   # that node's incarnation
    serial = 0     # the second word of another node's pid

    def __init__(self, n, proc):
        self.n = n
        self._proc = proc  # the live process record; None once it has exited

    @classmethod
    def external(cls, node, n, serial, creation):
        """A pid of another node (or of an older incarnation of this one)."""
        pid = cls(n, None)
        pid._node = node
        pid.serial = serial
        pid.creation = creation
        return pid

    @property
    def node(self):
        """The name of the node this Pid belongs to."""
        return node_name() if self._node is None else self._node

    def __eq__(self, other):
        return (type(other) is Pid and self.n == other.n and self._node == other._node
                and self.serial == other.serial and self.creation == other.creation)

    def __hash__(self):
        return self.n

    def __repr__(self):
        if self._node is None:
            return "<0.%d.0>" % self.n
        return "<%d.%d.%d>" % (node_number(self._node), self.n, self.serial)

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
    named = None    # monitor by registered name here: (name, node), what its DOWN names
    away = None     # monitor of another node's process: what the watcher named
                    # (a Pid, or (name, node)); None once it ended
    _node = None    # as Pid's
    creation = 0
    ids = None      # another node's reference: its ID words, a tuple

    def __init__(self, n=None):
        """A new Ref; or, given `n`, the Ref numbered n of this node (one
        that went out and came back)."""
        if n is None:
            global _last_ref
            _last_ref += 1
            n = _last_ref
        self.n = n

    @classmethod
    def external(cls, node, creation, ids):
        ref = cls(0)
        ref._node = node
        ref.creation = creation
        ref.ids = ids
        return ref

    def __eq__(self, other):
        return (type(other) is Ref and self.n == other.n and self._node == other._node
                and self.ids == other.ids and self.creation == other.creation)

    def __hash__(self):
        return self.n if self.ids is None else hash(self.ids)

    def __repr__(self):
        if self._node is None:
            return "#Ref<0.%d>" % self.n
        return "#Ref<%d.%s>" % (node_number(self._node),
                                ".".join(str(i) for i in reversed(self.ids)))


_last_ref = 0

# The name of this node, for the Pids and Refs of this node; runtime.node
# replaces it when distribution starts.
LOCAL_NODE = ["nonode@nohost"]
_NODE_NUMBERS = {}  # another node's name -> the number its pids print with


def node_name():
    return LOCAL_NODE[0]


def node_number(name):
    number = _NODE_NUMBERS.get(name)
    if number is None:
        number = _NODE_NUMBERS[name] = len(_NODE_NUMBERS) + 1
    return number


try:
    # Our firmware's (firmware/pid.c, ref.c): the same in fixed fields, a Pid
    # in 16 bytes, a Ref in 32 (monitors and timers set its fields).
    from _runtime import Pid, Ref, configure_pids  # noqa: F811 (the twins above are CPython's)
    configure_pids(node_name, node_number)
except ImportError:
    pass


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
