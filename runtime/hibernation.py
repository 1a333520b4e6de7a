"""Hibernation: a waiting process gives back all the memory it can, as
OTP's erlang:hibernate/3 does, and wakes in a fresh call on its next
message.

What a waiting process holds, besides the state it needs: its coroutine,
a chain of frames (the behaviour's loop and the functions that started
it, whose locals, such as the init argument or the last message, stay
referenced while it waits), and its mailbox list. Hibernating
(`await traps.hibernate(fn, *args)`, the last thing the process does):

1. its coroutine is replaced by a new one, `fn(*args)`, not yet started:
   the old chain of frames is dropped whole, as OTP discards the call
   stack (its `finally` blocks do not run on MicroPython; CPython closes a
   dropped coroutine, and runs them when it does: so hibernate only where
   none is pending);
2. an empty mailbox list is released;
3. the heap is collected by an activation (scheduler.py (7)) when the
   scheduler next runs them, once the old chain is off the stack: the
   frames, and the garbage the process left, are reclaimed now rather
   than whenever the heap next runs out.

The process then waits as a receive without patterns does (RECEIVING):
the next message starts the new coroutine, whose first trap, a receive()
without patterns, returns that message. A process with messages queued
already is run again at once and receives them itself, as OTP wakes a
process that hibernates with messages queued. An exit signal ends it as
any waiting process.
"""
import gc

from runtime.process import RECEIVING, START
from runtime.receive import BLOCK


class _Collector:
    """The activation that collects the heap after a step in which a
    process hibernated."""

    pending = False

    def after_step(self, s, wait):
        if self.pending:
            self.pending = False
            gc.collect()
        return wait


_COLLECTOR = _Collector()


def trap_hibernate(s, p, fn, args):
    """The handler of traps.hibernate: `p` leaves its coroutine for
    fn(*args) (see above)."""
    s.reds += 1
    if _COLLECTOR not in s.activations:
        s.activations.append(_COLLECTOR)
    p.coro = fn(*args)
    _COLLECTOR.pending = True
    mailbox = p.mailbox
    if mailbox:
        p.result = START  # the new coroutine starts now and receives them
        s.runq.requeue(p)
        return BLOCK
    if mailbox is not None:
        p.mailbox = None  # (an empty list: on the Python twin, storing None on a record
                          # that never had one would add a field)
    p.status = RECEIVING
    return BLOCK
