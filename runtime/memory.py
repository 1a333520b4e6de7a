"""Memory exhaustion: an emergency reserve and an out-of-memory policy, so
that a full heap ends a process, never the runtime.

MicroPython has one heap for all processes; a process cannot be given a
heap of its own. What the runtime can do:

1. The allocating process pays. An allocation that fails in a process's
   own code, or in a runtime call it makes (a send copies the message into
   the receiver's mailbox), raises MemoryError in that process; uncaught,
   it ends it, with the MemoryError as its reason.
2. The reserve. The runtime holds RESERVE_BYTES (limits.py) it does not
   use. When the heap runs out in the runtime's own work (ending a process:
   its links, monitors, EXIT and DOWN messages, run queues) or a process
   died of MemoryError, the reserve is released (`relieve`), so that work
   has room to finish.
3. The victim. If the heap is still full (nothing left to release), the
   process holding the longest mailbox, the one measurable holder of heap,
   is killed with the reason 'out_of_memory' and its mailbox dropped at
   once (`relieve` again, then `after_step`).
4. Back to normal. After every step in which the reserve is out, the
   scheduler tries to take it again (at most every RETRY_MS, since with a
   full heap every attempt costs a full collection); while it is out, the
   rounds also give normal and low priority a turn (runq.py, `fair`), so
   that a hog in the normal queue runs, and meets its MemoryError, even
   under a busy high-priority process.

What the runtime cannot see: heap held in a process's own variables. A
process that catches MemoryError and keeps what it allocated is stopped
only when it next fails to allocate and lets the error go, or by its own
supervisor's intensity.
"""
import gc

import libos

from runtime import logger

VICTIM_QUEUE = 16  # a mailbox shorter than this is not worth a process
RETRY_MS = 100     # least time between two attempts to take the reserve back


class Memory:
    def __init__(self, size):
        self.size = size          # bytes of the reserve
        self.reserve = None       # the reserve while held (a bytearray), else None
        self.tried_at = 0         # libos.ticks_ms() of the last attempt to take it
        self.victims = 0          # processes ended by the policy
        self.dropped = 0          # signals the exit path dropped for want of memory
        self.take()

    def take(self):
        """Hold the reserve again; False if the heap has no room for it."""
        if self.reserve is None:
            try:
                self.reserve = bytearray(self.size)
            except MemoryError:
                return False
        return True

    def relieve(self, s):
        """Make room now (the heap ran out in the runtime's own work): give
        up the reserve, or else end the process holding the longest
        mailbox. False if there was nothing to free."""
        if self.reserve is not None:
            self.reserve = None
            s.runq.fair = True
            gc.collect()
            return True
        victim = _longest_mailbox(s.table)
        if victim is None:
            return False
        self.end(s, victim)
        gc.collect()
        return True

    def end(self, s, p):
        """End `p` with 'out_of_memory', its mailbox dropped now."""
        n = p.queue_len()
        self.victims += 1
        s.kill(p, "out_of_memory")
        try:
            logger.log("error", "=MEMORY REPORT==== heap exhausted: process %r ended with "
                       "%d messages queued" % (p.pid, n))
        except MemoryError:
            print("=MEMORY REPORT==== heap exhausted: a process was ended")

    def drop(self):
        """Count a signal the exit path gave up on: the heap stayed full."""
        self.dropped += 1

    def after_step(self, s, wait):
        """The scheduler's activation: while the reserve is out, try to take
        it back, ending a victim when that fails."""
        if self.reserve is not None:
            return wait
        now = libos.ticks_ms()
        if libos.ticks_diff(now, self.tried_at) < RETRY_MS:
            return wait if wait is not None and wait < RETRY_MS * 1000 else RETRY_MS * 1000
        self.tried_at = now
        gc.collect()
        if self.take():
            s.runq.fair = False
            return wait
        victim = _longest_mailbox(s.table)
        if victim is not None:
            self.end(s, victim)
            return 0
        return wait if wait is not None and wait < RETRY_MS * 1000 else RETRY_MS * 1000


def _longest_mailbox(table):
    longest = None
    most = VICTIM_QUEUE - 1
    for p in table.values():
        n = p.queue_len()
        if n > most and p.coro is not None:
            longest = p
            most = n
    return longest
