"""The run queues: the one place that makes a process runnable.

One FIFO list per priority (HIGH, NORMAL, LOW). A round takes the whole
queue of one priority (`take_round`) and a fresh list takes its place, so
that what is woken during the round runs in the next one.

Invariant (process.py): a process is in a queue exactly when it is RUNNABLE
or EXITING, once. `make_runnable` keeps it for a waiting process and
`requeue` for the running one. Each does its one allocation (the append)
first: a full heap leaves nothing changed, so the caller can make room and
try again. A slice cut between the stores leaves a state `rebuild`
recognises: queued but still waiting (the round skips it), or `result` set
and the status not yet RUNNABLE.

Lists keep their capacity between rounds (`del batch[:]`, never clear(),
which would give it back): a queue that once held n processes appends up to
n again without allocating, which the exit path relies on when the heap is
full.

On our firmware RunQueues is _runtime's (firmware/runq.c): the same lists
and order in C, since the loop consults them every round and every wake-up
goes through make_runnable. This class is its twin, and what CPython runs.
"""
from runtime.process import (EXITING, HIGH, LOW, NORMAL, NOVALUE, RECEIVING, RESCAN,
                             RUNNABLE, SELECTING)

LOW_TURN = 8  # normal slices per low slice when both are ready


class RunQueues:
    def __init__(self):
        self.queues = [[], [], []]  # per priority: records in FIFO order
        self.spare = []        # an empty list that replaces a queue while its round runs
        self.normal_picks = 0  # normal slices since low last had a turn
        self.fair = False      # memory is short: high rounds take a normal and a low too

    def make_runnable(self, p, value):
        """Wake waiting process `p`: its await returns `value` (RESCAN: the
        receive looks at its mailbox again, see receive.py)."""
        self.queues[p.priority].append(p)
        p.result = value
        p.status = RUNNABLE

    def requeue(self, p):
        """The running process `p` gives up its turn: back of its queue."""
        self.queues[p.priority].append(p)

    def make_exiting(self, p, reason):
        """Make live process `p` EXITING with `reason`, queued to be ended
        unless it is queued already (RUNNABLE)."""
        if p.status is not RUNNABLE:
            self.queues[p.priority].append(p)
        p.result = reason
        p.status = EXITING

    def ready(self):
        queues = self.queues
        return bool(queues[HIGH] or queues[NORMAL] or queues[LOW])

    def take_round(self):
        """The processes of the round to run now: the high queue if it has
        any, else the normal queue (with one low process after every
        LOW_TURN normal ones), else the low queue."""
        queues = self.queues
        priority = HIGH if queues[HIGH] else NORMAL if queues[NORMAL] else LOW
        batch = queues[priority]
        queues[priority] = self.spare
        if self.fair and priority == HIGH:
            # Under memory pressure (memory.py) the process that holds the
            # heap may sit in a lower queue: let it run, and fail.
            if queues[NORMAL]:
                batch.append(queues[NORMAL].pop(0))
            if queues[LOW]:
                batch.append(queues[LOW].pop(0))
        elif priority == NORMAL and queues[LOW]:
            low = queues[LOW]
            self.normal_picks += len(batch)
            while self.normal_picks >= LOW_TURN and low:
                self.normal_picks -= LOW_TURN
                batch.append(low.pop(0))
        return batch

    def end_round(self, batch):
        del batch[:]
        self.spare = batch

    def rebuild(self, table):
        """Restore the invariant after a slice was cut by its budget, which
        may have fallen between the stores of a wake-up; queue order becomes
        spawn order. The lists are reused, since the heap may be full."""
        queues = self.queues
        for queue in queues:
            del queue[:]
        try:
            self._refill(table.records())
        except MemoryError:  # no room to sort: any order will do
            for queue in queues:
                del queue[:]
            self._refill(table.unordered())
        spare = self.spare
        if spare is queues[0] or spare is queues[1] or spare is queues[2]:
            self.spare = []  # a round was broken off before end_round

    def _refill(self, records):
        queues = self.queues
        for p in records:
            status = p.status
            if status is RECEIVING and p.result is not NOVALUE:
                p.status = status = RUNNABLE  # a message was handed over, the wake-up cut short
            elif status is SELECTING and len(p.mailbox or ()) > p.scanned:
                p.result = RESCAN
                p.status = status = RUNNABLE
            if status is RUNNABLE or status is EXITING:
                queues[p.priority].append(p)

    def clear(self):
        self.queues = [[], [], []]
        self.spare = []
        self.normal_picks = 0
        self.fair = False


try:
    from _runtime import RunQueues  # noqa: F811 (our firmware's, firmware/runq.c)
except ImportError:
    pass
