"""Memory exhaustion: an emergency reserve and an out-of-memory policy, so
that a full heap ends a process, never the runtime.

MicroPython has one heap for all processes; a process cannot be given a
heap of its own. What the runtime can do:

1. The allocating process pays. An allocation that fails in a process's
   own code, or in a runtime call it makes (a send copies the message into
   the receiver's mailbox), raises MemoryError in that process; uncaught,
   it ends it, with the MemoryError as its reason.
2. The reserve. The runtime holds RESERVE_BYTES (limits.py) it does not
   use, in blocks of CHUNK bytes: a heap that many processes have cut up
   may have room for many small blocks and none for one large one, and
   what the runtime needs in a hurry is room for small ones. When the heap runs out in the runtime's own work (ending a process:
   its links, monitors, EXIT and DOWN messages, run queues) or a process
   died of MemoryError, the reserve is released (`relieve`), so that work
   has room to finish.
3. The victim. If the heap is still full (nothing left to release), the
   process holding the longest mailbox, the one measurable holder of heap,
   is killed with the reason 'out_of_memory' and its mailbox dropped at
   once (`relieve` again, then `after_step`). So is it when a process died
   of MemoryError and the heap has no block the longest mailbox could grow
   into (`ran_out`): the next send that grows it would fail too, each
   sender paying for the heap the receiver holds, though the heap may have
   room for the reserve again (a mailbox of thousands of messages is one
   list of as many slots).
4. A heap that is full in all but name: when nearly every allocation
   finds no free block, each costs a full collection (about 10 ms on
   mps2-an385), and the allocations never quite fail. Every RETRY_MS the
   runtime counts the collections since it last looked; THRASH of them
   count as running out, and the reserve is released.
5. Back to normal. While the reserve is out, the scheduler tries every
   RETRY_MS to take it again (each attempt costs a full collection) once
   the heap has room for it and as much again; meanwhile the rounds also
   give normal and low priority a turn (runq.py, `fair`), so that a hog in
   the normal queue runs, and meets its MemoryError, even under a busy
   high-priority process.

6. A heap kept whole. MicroPython collects only when an allocation finds
   no room; by then garbage has spread over the whole heap between live
   objects, and after the collection the free space is in holes too small
   for one large block (the process table of a thousand processes, say)
   though half the heap is free. So the runtime has the heap collected
   every time a GC_SHARE of it has been allocated (gc.threshold): garbage
   is reclaimed while it is still near, and the free space stays in one
   piece.

What the runtime cannot see: heap held in a process's own variables. A
process that catches MemoryError and keeps what it allocated is stopped
only when it next fails to allocate and lets the error go, or by its own
supervisor's intensity.
"""
import gc

import libos

from runtime import logger
from runtime.compat import WORD, collections

VICTIM_QUEUE = 16  # a mailbox shorter than this is not worth a process
RETRY_MS = 100     # how often the heap's state is looked at (each look may collect it)
THRASH = 8         # collections within RETRY_MS that mean the heap is as good as full
CHUNK = 256        # bytes per block of the reserve


class Memory:
    def __init__(self, size, gc_every):
        self.chunks = max(size // CHUNK, 1)  # blocks in the reserve
        self.reserve = None       # the reserve while held (a list of blocks), else None
        self.looked_at = 0        # libos.ticks_ms() when the heap's state was last looked at
        self.collections = collections()  # the heap's collections then
        self.victims = 0          # processes ended by the policy
        self.dropped = 0          # signals the exit path dropped for want of memory
        threshold = getattr(gc, "threshold", None)  # (MicroPython's)
        if threshold is not None and gc_every:
            threshold(gc_every)
        self.take()

    def take(self):
        """Hold the reserve again; False if the heap has no room for it."""
        if self.reserve is None:
            try:
                self.reserve = [bytearray(CHUNK) for _ in range(self.chunks)]
            except MemoryError:
                return False
        return True

    def ran_out(self, s):
        """A process died of MemoryError: give up the reserve now, so that
        the next step checks whether the heap has room again (after_step),
        and end the process with the longest mailbox if its list could not
        grow (see end_longest)."""
        self._release(s)
        gc.collect()
        self.end_longest(s, unless_room=True)

    def _release(self, s):
        if self.reserve is not None:
            self.reserve = None
            s.runq.fair = True
            self.looked_at = libos.ticks_add(libos.ticks_ms(), -RETRY_MS)  # look again at once

    def relieve(self, s):
        """Make room now (the heap ran out in the runtime's own work): give
        up the reserve, or else end the process holding the longest
        mailbox. False if there was nothing to free."""
        if self.reserve is not None:
            self._release(s)
            gc.collect()
            return True
        if not self.end_longest(s):
            return False
        gc.collect()
        return True

    def end_longest(self, s, unless_room=False):
        """End the process holding the longest mailbox; with unless_room,
        only if the heap has no block for that mailbox doubled, which is
        what its list takes when it next grows (a guess: the list may have
        room left). False if no process was ended."""
        victim = _longest_mailbox(s.table)
        if victim is None or (unless_room and libos.mem()["largest_free"]
                              >= 2 * WORD * len(victim.mailbox)):
            return False
        self.end(s, victim)
        return True

    def end(self, s, p):
        """End `p` with 'out_of_memory', its mailbox dropped first, so that
        there is room to queue it."""
        n = p.queue_len()
        self.victims += 1
        if p.mailbox is not None:
            p.mailbox = None
            if p.head:
                p.head = 0
        gc.collect()
        s.kill(p, "out_of_memory")
        try:
            logger.log("error", "=MEMORY REPORT==== heap exhausted: process %r ended with "
                       "%d messages queued" % (p.pid, n))
        except MemoryError:
            if logger.prints("error"):
                print("=MEMORY REPORT==== heap exhausted: a process was ended")

    def drop(self):
        """Count a signal the exit path gave up on: the heap stayed full."""
        self.dropped += 1

    def after_step(self, s, wait):
        """The scheduler's activation: every RETRY_MS, release the reserve
        if the heap thrashes; while it is out, take it back once the heap has
        room for it and as much again, and until then end the process
        holding the longest mailbox, one per look."""
        now = libos.ticks_ms()
        if libos.ticks_diff(now, self.looked_at) < RETRY_MS:
            if self.reserve is None and (wait is None or wait > RETRY_MS * 1000):
                return RETRY_MS * 1000
            return wait
        self.looked_at = now
        count = collections()
        thrashed = count - self.collections >= THRASH
        self.collections = count
        if self.reserve is not None:
            if not thrashed:
                return wait
            self._release(s)
        gc.collect()
        self.collections = collections()
        if _heap_free() >= 2 * CHUNK * self.chunks and self.take():
            s.runq.fair = False
            return wait
        if self.end_longest(s):
            return 0
        return wait if wait is not None and wait < RETRY_MS * 1000 else RETRY_MS * 1000


def _heap_free():
    """Free bytes in the heap (MicroPython's gc knows; CPython's heap is
    the host's: plenty)."""
    mem_free = getattr(gc, "mem_free", None)
    return mem_free() if mem_free is not None else 1 << 62


def _longest_mailbox(table):
    longest = None
    most = VICTIM_QUEUE - 1
    for p in table.unordered():
        n = p.queue_len()
        if n > most and p.coro is not None:
            longest = p
            most = n
    return longest
