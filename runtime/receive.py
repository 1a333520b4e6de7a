"""The receive state machine: how a message reaches a process, and the traps
that wait (receive, sleep, checkpoint).

A message to a process (`deliver`) goes one of three ways:
- RECEIVING (a receive without patterns, so its mailbox is empty): the
  message is handed over as the result of its await;
- SELECTING (a receive with patterns): it is queued and the process is
  woken with RESCAN, to try its patterns on what arrived (`resume`), in its
  own slice, since a pattern may be a predicate;
- otherwise it is queued.
A process whose mailbox would grow past its limit (max_queue) is killed
instead, with the reason ('max_queue', limit), and the message dropped; a
process that is EXITING gets no more messages.

The traps run inside the awaiting process (traps.py): each returns the
await's result, or BLOCK to suspend it. `s` is the scheduler throughout.
"""
from runtime.patterns import check
from runtime.process import EXITING, RECEIVING, RESCAN, SELECTING, SLEEPING
from runtime.terms import TIMEOUT
from runtime.timers import KIND, RECEIVE, SLEEP, us_of

BLOCK = object()    # what a trap returns to suspend the process
NOTHING = object()  # "no message found"

QUOTA = 100  # reductions after which a slice ends at its next trap


def deliver(s, p, message):
    """Put `message` (already isolated) in live process `p`'s mailbox, or
    straight into the receive it waits in."""
    status = p.status
    if status is RECEIVING:
        # Waiting for any message means the mailbox is empty: hand it over.
        s.runq.make_runnable(p, message)
        timer = p.timer
        if timer is not None:
            s.timers.drop(timer)
            p.timer = None
        return
    if status is EXITING:
        return
    mailbox = p.mailbox
    if mailbox is None:
        p.mailbox = mailbox = [message]
    elif len(mailbox) - p.head < p.max_queue:
        mailbox.append(message)
    else:
        s.overflow(p)
        return
    if status is SELECTING:
        try:
            s.runq.make_runnable(p, RESCAN)
        except MemoryError:
            mailbox.pop()  # all or nothing, so that the sender may try again
            raise


try:
    from _runtime import deliver  # noqa: F811 (our firmware's, firmware/record.c)
except ImportError:
    pass


def trap_receive(s, p, patterns, timeout):
    """The first message matching `patterns` (any message if none), or
    TIMEOUT once `timeout` ms have passed since the call (None: never)."""
    s.reds += 1
    if patterns:
        check(patterns)
    if timeout is not None:
        us = us_of(timeout, "receive timeout")
    if p.mailbox:
        if patterns:
            message = p.take(patterns, p.head, NOTHING)
        else:
            message = p.take_oldest()
        if message is not NOTHING:
            if s.reds < QUOTA:
                return message
            p.result = message  # its turn is over: resumed with the message
            s.runq.requeue(p)
            return BLOCK
    if timeout is not None:
        if us == 0:
            return TIMEOUT
        p.timer = s.timers.add(us, RECEIVE, p)
    if patterns:
        p.patterns = patterns
        p.scanned = len(p.mailbox) if p.mailbox is not None else 0
        p.status = SELECTING
    else:
        p.status = RECEIVING
    return BLOCK


def trap_sleep(s, p, ms, unused):
    """Suspend for `ms` ms; messages stay queued. sleep(0) only gives the
    other ready processes their turn."""
    s.reds += 1
    us = 0 if ms == 0 else us_of(ms, "sleep time")
    if us == 0:
        p.result = None
        s.runq.requeue(p)
        return BLOCK
    p.timer = s.timers.add(us, SLEEP, p)
    p.status = SLEEPING
    return BLOCK


def trap_checkpoint(s, p, unused_a, unused_b):
    """Give the other ready processes their turn if this slice has run long
    (QUOTA reductions, or CHECKPOINT_US of time); else go on at once."""
    s.reds += 1
    if s.reds < QUOTA and not s.slice_long():
        return None
    p.result = None
    s.runq.requeue(p)
    return BLOCK


def resume(s, p):
    """Continue a receive woken by RESCAN: look at what arrived since it
    last looked; return a match, TIMEOUT, or BLOCK to wait again."""
    s.reds += 1
    message = p.take(p.patterns, p.scanned, NOTHING)
    timer = p.timer
    if message is not NOTHING:
        if timer is not None:
            s.timers.drop(timer)
            p.timer = None
        return message
    if timer is not None and timer[KIND] is None:  # its timer fired meanwhile
        p.timer = None
        return TIMEOUT
    p.scanned = len(p.mailbox)
    p.status = SELECTING
    return BLOCK


def timer_fired(s, p, kind, entry):
    """The receive or sleep timer `entry` of `p` is due."""
    if p.timer is not entry:
        return
    if kind is RECEIVE:
        if p.status is RECEIVING or p.status is SELECTING:
            s.runq.make_runnable(p, TIMEOUT)
            p.timer = None
        # else a message woke it; resume() sees that the timer fired
    elif p.status is SLEEPING:
        s.runq.make_runnable(p, None)
        p.timer = None


TRAPS = {"receive": trap_receive, "sleep": trap_sleep, "checkpoint": trap_checkpoint}
