"""Timers: receive timeouts, sleeps and send_after, in one binary heap.

Time is a count of microseconds since a base, kept as a small int: it grows by
`ticks_diff` steps of the wrapping libos clock (period 2**30 us on the device,
so the clock must be read at least every ~9 minutes; the scheduler's idle is
capped well below that). MicroPython's small ints hold 30 bits on a 32-bit
device, so the scheduler moves the base forward (rebase) long before the
count would turn into a heap-allocated big int.

An entry is a list [deadline, seq, kind, target, message]. Entries sort by
deadline, then by seq, so timers due at the same time fire in the order they
were set. Cancelling marks the entry (kind None); marked entries are dropped
when they reach the top, or all at once when they fill half the heap.

Processes create entries while their slice runs, when a slice budget may cut
them short at any bytecode; so they only append to `incoming`, and only the
scheduler's own loop (never cut) moves entries into the heap and sifts it.
"""

DEADLINE = 0
SEQ = 1
KIND = 2     # RECEIVE, SLEEP, SEND, or None once cancelled or fired
TARGET = 3   # RECEIVE, SLEEP: the process record; SEND: a Pid or a name
MESSAGE = 4  # SEND: the message

RECEIVE = "receive"
SLEEP = "sleep"
SEND = "send"

REBASE_AT = 1 << 28  # us (~4.5 min): rebase well before 2**30

_INFINITY = float("inf")


def aimed_at(p, entry):
    """Note that send_after `entry` is aimed at process `p`, so that its exit
    cancels it (OTP ties a timer to the Pid it sends to). By the entry's
    seq: finding an entry in a list would compare lists."""
    if p.inbound is None:
        p.inbound = {entry[SEQ]: entry}
    else:
        p.inbound[entry[SEQ]] = entry


def missed_by(p, entry):
    """`entry`, aimed at `p`, fired or was cancelled: forget it."""
    if p.inbound is not None:
        p.inbound.pop(entry[SEQ], None)


def us_of(ms, what):
    """`ms` milliseconds as whole microseconds; TypeError or ValueError
    naming the argument `what` unless `ms` is a finite number >= 0."""
    kind = type(ms)
    if kind is not int and kind is not float:
        raise TypeError("%s must be a number of milliseconds, got %r" % (what, ms))
    if ms != ms or ms == _INFINITY:
        raise ValueError("%s must be a finite number of milliseconds, got %r" % (what, ms))
    if ms < 0:
        raise ValueError("%s must not be negative, got %r" % (what, ms))
    return int(ms * 1000)


class Timers:
    def __init__(self, ticks_us, ticks_diff):
        self._ticks_us = ticks_us
        self._ticks_diff = ticks_diff
        self.last = ticks_us()  # the libos tick `elapsed` was last brought up to
        self.elapsed = 0        # us from the base to `last`
        self.heap = []          # Invariant: heap[(i-1)//2] sorts before heap[i]
        self.incoming = []      # entries set since the scheduler last merged
        self.cancelled = 0      # marked entries still in heap or incoming
        self.seq = 0            # the last seq handed out

    def now(self):
        """Microseconds since the base, read from the clock now."""
        t = self._ticks_us()
        self.elapsed += self._ticks_diff(t, self.last)
        self.last = t
        return self.elapsed

    def add(self, delay_us, kind, target, message=None):
        """A new entry due `delay_us` from now (measured now, not at the
        scheduler's last look at the clock)."""
        self.seq += 1
        entry = [self.now() + delay_us, self.seq, kind, target, message]
        self.incoming.append(entry)
        return entry

    def left(self, entry):
        """The us `entry` has left (0 if due), or None if it fired or was
        cancelled."""
        if entry[KIND] is None:
            return None
        left = entry[DEADLINE] - self.now()
        return left if left > 0 else 0

    def cancel(self, entry):
        """Mark `entry`; return the us it had left, or None if it had fired."""
        left = self.left(entry)
        if left is not None:
            self.drop(entry)
        return left

    def drop(self, entry):
        """Mark `entry` without reading the clock (the hot path's cancel), and
        let go of what it holds: a marked entry may stay in the heap until
        its deadline, and must not keep a dead process or a message alive."""
        if entry[KIND] is not None:
            entry[KIND] = None
            entry[TARGET] = entry[MESSAGE] = None
            self.cancelled += 1

    def clear(self):
        self.heap = []
        self.incoming = []
        self.cancelled = 0

    # The rest is called by the scheduler loop only.

    def merge(self):
        """Move new entries into the heap; compact and rebase when due.
        Returns the current time."""
        incoming = self.incoming
        if incoming:
            self.incoming = []
            for entry in incoming:
                if entry[KIND] is not None:
                    _push(self.heap, entry)
                else:
                    self.cancelled -= 1
        heap = self.heap
        if self.cancelled > 16 and self.cancelled * 2 > len(heap):
            self._compact()
        now = self.now()
        if now >= REBASE_AT:
            for entry in self.heap:
                entry[DEADLINE] -= now
            self.elapsed = now = 0
        return now

    def pop_due(self, now):
        """The first live entry due at `now`, removed from the heap, or None.
        The caller fires it and marks it fired (KIND None)."""
        heap = self.heap
        while heap and heap[0][DEADLINE] <= now:
            entry = _pop(heap)
            if entry[KIND] is not None:
                return entry
            self.cancelled -= 1
        return None

    def next_deadline(self):
        """Deadline of the earliest entry in the heap, or None (stale marked
        entries only make the scheduler wake early, never late)."""
        heap = self.heap
        return heap[0][DEADLINE] if heap else None

    def _compact(self):
        live = [entry for entry in self.heap if entry[KIND] is not None]
        self.heap = []
        self.cancelled = 0
        for entry in live:
            _push(self.heap, entry)


def _push(heap, entry):
    """Add `entry` to `heap`, sifted up."""
    heap.append(entry)
    deadline = entry[DEADLINE]
    seq = entry[SEQ]
    i = len(heap) - 1
    while i:
        parent = (i - 1) >> 1
        up = heap[parent]
        if up[DEADLINE] < deadline or (up[DEADLINE] == deadline and up[SEQ] < seq):
            break
        heap[i] = up
        i = parent
    heap[i] = entry


def _pop(heap):
    """Remove and return the first entry of `heap` (there is one)."""
    last = heap.pop()
    if not heap:
        return last
    top = heap[0]
    deadline = last[DEADLINE]
    seq = last[SEQ]
    n = len(heap)
    i = 0
    while True:
        child = 2 * i + 1
        if child >= n:
            break
        low = heap[child]
        right = child + 1
        if right < n:
            other = heap[right]
            if other[DEADLINE] < low[DEADLINE] or (
                    other[DEADLINE] == low[DEADLINE] and other[SEQ] < low[SEQ]):
                child = right
                low = other
        if deadline < low[DEADLINE] or (deadline == low[DEADLINE] and seq < low[SEQ]):
            break
        heap[i] = low
        i = child
    heap[i] = last
    return top


try:
    # Our firmware's (firmware/timer_heap.c): the same sifting in C.
    from _runtime import heap_pop as _pop, heap_push as _push  # noqa: F811
except ImportError:
    pass
