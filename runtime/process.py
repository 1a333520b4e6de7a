"""A process's record, its states and its mailbox.

The states a process goes through (`status`), and what moves it:

        spawn                        a trap finds nothing to return: it waits
          |          +--------------------------------------------------+
          v          |                                                  v
     +----------+ ---+                                           +-----------+
     | RUNNABLE |                                                | RECEIVING |
     |          | <--------- runq.make_runnable -------------    | SELECTING |
     +----------+    a message, a timeout, a timer, a rescan     | SLEEPING  |
          |   ^                                                  +-----------+
          |   +-- its turn is over (quota, sleep(0)): runq.requeue     |
          |                                                           |
          | a fatal exit signal  +---------+   a fatal exit signal    |
          +--------------------> | EXITING | <------------------------+
          |                      +---------+   (queued to be ended)
          | its coroutine ends        | ended when picked: ProcessExit is
          | (returns, raises, is cut) | thrown in, or it is abandoned
          v                           v
       DEAD  <------------------------+   out of the table; its Pid stays

Invariant: a process is in a run queue exactly when it is RUNNABLE or
EXITING, once (the running process is RUNNABLE and was taken from its
queue). A slice cut by its budget may break it half way through a wake-up;
the scheduler repairs it after the round (runq.RunQueues.rebuild).

The record keeps rarely-set fields as class-level defaults: MicroPython
stores an instance attribute only once it is assigned, so an idle process
pays for the few fields it uses. Storing a field for the first time may
grow the record, so the exit path only ever stores fields the record
already has (status, coro, result) or clears fields it finds set. On our
firmware the record is _runtime.Process (firmware/record.c): the same
fields and methods in fixed C fields (48 bytes for an idle process on a
32-bit board, against 64 for the instance), with the rare fields in one
block made when the first is set, and the receive patterns matched in C.
This class is its twin, and what CPython runs.

The mailbox is a list read from index `head`: taking the oldest message is
O(1) (the slot is cleared and `head` moves on), selective receive deletes
from the middle, and the list is emptied or compacted as `head` catches
up. No list is made per message. Invariant: the list is emptied when its
last message is taken, so it is non-empty exactly when messages are queued.
"""
from runtime.patterns import first_match

RUNNABLE = "runnable"
EXITING = "exiting"      # to be ended when next picked; `result` holds the reason
RECEIVING = "receiving"  # in a receive without patterns: the next message is handed over
SELECTING = "selecting"  # in a receive with patterns: each message wakes it to look
SLEEPING = "sleeping"    # in sleep: woken only by its timer
DEAD = "dead"

PRIORITIES = ("high", "normal", "low")  # index = run queue
HIGH = 0
NORMAL = 1
LOW = 2

START = object()    # `result` of a process that has not run yet
NOVALUE = object()  # `result` when nothing was handed over (None is a message)
RESCAN = object()   # `result` of a receive woken to look at new messages

_COMPACT_AT = 32  # slots cleared at the head of a mailbox before it is compacted


class Process:
    # Set for every process:
    #   pid     its Pid
    #   coro    its coroutine; None once it has exited
    #   fn      the function it was spawned with (for introspection)
    #   status  one of the statuses above
    #   result  what the await it is suspended in returns when resumed
    #           (NOVALUE: nothing yet); EXITING: the reason it ends with
    #   reductions  work done in its slices (traps, sends, spawns...)
    mailbox = None    # list of messages, oldest at `head`; None until the first
    head = 0          # index of the oldest message in `mailbox`
    patterns = ()     # SELECTING: what the current receive waits for
    scanned = 0       # SELECTING: mailbox[:scanned] was already tried against patterns
    timer = None      # RECEIVING/SELECTING/SLEEPING: the timer entry of the wait
    inbound = None    # send_after entries aimed at this process's Pid, by their seq
    links = None      # linked Pids: None, the one Pid or a list (links.py; each link is
                      # in both processes' links)
    watchers = None   # monitor Refs whose target is this process: None, the one Ref or
                      # a list (monitors.py)
    monitoring = None  # list of monitor Refs this process holds
    claims = None     # list of interrupt sources this process owns, and streams (ints)
    reports = True    # a crash report when it exits abnormally (as proc_lib's processes:
                      # not those an rpc runs, whose exit reason carries the result)
    trap_exit = False
    name = None       # registered name
    priority = NORMAL
    max_queue = None  # mailbox length past which it is killed (limits.py sets the default)

    def __init__(self, pid, coro, fn, priority):
        self.pid = pid
        self.coro = coro
        self.fn = fn
        self.status = RUNNABLE
        self.result = START
        # Stored after every slice, even the one that fills the heap: made
        # now, so that storing it never grows the record. (Free: the record
        # holds seven fields before it grows, and these are at most seven.)
        self.reductions = 0
        if priority != NORMAL:
            self.priority = priority

    def queue_len(self):
        mailbox = self.mailbox
        return 0 if mailbox is None else len(mailbox) - self.head

    def take_oldest(self):
        """Remove and return the oldest message (there is one)."""
        mailbox = self.mailbox
        head = self.head
        message = mailbox[head]
        head += 1
        if head == len(mailbox):
            mailbox.clear()
            if head > 1:
                self.head = 0
        else:
            mailbox[head - 1] = None
            if head >= _COMPACT_AT and head * 2 >= len(mailbox):
                del mailbox[:head]
                head = 0
            self.head = head
        return message

    def take(self, patterns, start, nothing):
        """Remove and return the first message from index `start` on that
        matches `patterns` (any message if none), or `nothing`."""
        mailbox = self.mailbox
        if mailbox is None:
            return nothing
        n = len(mailbox)
        i = start
        if patterns:
            while i < n and not first_match(patterns, mailbox[i]):
                i += 1
        if i >= n:
            return nothing
        if i == self.head:
            return self.take_oldest()
        message = mailbox[i]
        del mailbox[i]
        return message

    def remove_down(self, ref):
        """Drop a queued ('DOWN', ref, ...) message (demonitor's flush)."""
        mailbox = self.mailbox
        if mailbox is None:
            return
        for i in range(self.head, len(mailbox)):
            message = mailbox[i]
            if type(message) is tuple and len(message) == 5 and message[1] is ref \
                    and message[0] == "DOWN":
                self.take((), i, None)
                return


def set_default_max_queue(limit):
    """The mailbox limit of the processes spawned without their own (limits.py)."""
    Process.max_queue = limit


def default_max_queue():
    return Process.max_queue


try:
    from _runtime import Process, configure_records, default_max_queue, \
        set_default_max_queue  # noqa: F811 (the twins above are CPython's)
    configure_records((RUNNABLE, EXITING, RECEIVING, SELECTING, SLEEPING, DEAD), START, RESCAN,
                      NOVALUE)
except ImportError:
    pass
