"""The scheduler: runs processes, turns timers and interrupts into messages,
and idles when there is nothing to do.

Design, in seven points.

1. A process is a coroutine (an `async def` function). It runs until it
   awaits something that cannot complete at once; then the scheduler picks the
   next process. Nothing preempts a process at an arbitrary bytecode except the
   slice budget (6).

2. traps.py is the only place that yields to the scheduler. A trap (receive,
   sleep) is handled synchronously inside the awaiting process by a method of
   this class named `trap_<name>`; the handlers form the dispatch table
   `traps`. A receive that finds its message returns without a round trip
   through the loop. A process that must wait yields the single token BLOCK;
   whoever wakes it stores what its await returns in its record (`result`)
   and puts it back in a run queue.

3. Messages and signals are delivered synchronously by their sender
   (signals.py), so what one process sends another arrives in order. A fatal
   exit signal only records a reason (`exit_reason`, status EXITING); the
   target ends the next time it would run: ProcessExit is thrown into its
   coroutine, its `finally` blocks run and nothing else does (each await in
   them raises again).

4. One step of the loop, the unit `run()` repeats and the REPL drives:

       interrupt events --> messages      (phase 1)
       due timers --> timeouts, wakes, send_after messages  (phase 2)
       one round of ready processes      (phase 3)
       -> 0 if processes are ready, else us until the next timer, else None

   and between steps `run()` calls libos.idle for that long (phase 4).
   A round runs the processes that were ready when it began: the high queue
   if it has any, else the normal queue, with one low process after every
   LOW_TURN normal ones, else the low queue. High can starve the others, as
   in Erlang; low is never starved by normal.

5. Time is microseconds since a base, advanced with ticks_diff of the wrapping
   libos clock (timers.py). Deadlines are absolute in that count; a receive
   timeout is measured from the call.

6. Where libos has a slice budget, every slice runs under libos.budget. A
   process that overruns it gets SliceExpired raised wherever it is, and exits
   with ('slice_exceeded', ms). The cut may fall inside a runtime call the
   process was making (a send, a link); signals.py orders its stores so that
   such a cut can only leave a process whose wake-up was not finished, and
   `resync` repairs that after the round.

7. The hardware watchdog is fed by the loop itself, once per step, for as
   long as one chosen process lives (boot's root supervisor; see `watchdog`),
   and every wait is capped below the watchdog's timeout so that an idle
   system is fed too. Once that process has exited nothing feeds the
   watchdog again: a system whose loop stops turning, or whose root is gone,
   is reset by the hardware.
"""
import gc

import libos

from runtime import logger, signals
from runtime.compat import start_coroutine
from runtime.isolation import copy_term
from runtime.patterns import check
from runtime.process import (DEAD, EXITING, HIGH, LOW, NORMAL, PRIORITIES,
                             RECEIVING, RUNNABLE, SELECTING, SLEEPING, START,
                             Process)
from runtime.signals import RESCAN, deliver_message
from runtime.terms import TIMEOUT, Pid, ProcessExit, Ref
from runtime.timers import KIND, MESSAGE, RECEIVE, SEND, SLEEP, TARGET, Timers

BLOCK = object()    # what a process yields: "I am suspended, run another"
NONE = object()     # stands for a None result on resume (see traps.py)
NOTHING = object()  # "no message found"

QUOTA = 100             # reductions after which a slice ends at its next trap
LOW_TURN = 8            # normal slices per low slice when both are ready
SLICE_MS = 100          # default slice budget
IDLE_CAP_US = 10000000  # longest idle: the wrapping clock must be read well within 2**29 us

_budget = getattr(libos, "budget", None)
SliceExpired = libos.SliceExpired


# Where libos has no budget: a native call that does nothing (cheaper in the
# hot loop than a Python no-op).
_no_budget = abs


def _number(value, what):
    kind = type(value)
    if kind is not int and kind is not float:
        raise TypeError("%s must be a number of milliseconds, got %r" % (what, value))
    if value < 0:
        raise ValueError("%s must not be negative, got %r" % (what, value))
    return int(value * 1000)


class Scheduler:
    def __init__(self):
        self.current = None  # record of the process running now; None outside rounds
        self.table = {}      # pid number -> record of every live process.
                             # Invariant: p in table <=> p.status is not DEAD
        self.deletions = 0   # removals from `table` since it was last copied
        self.runq = [[], [], []]  # per priority (HIGH, NORMAL, LOW): records in FIFO order.
                             # Invariant: a RUNNABLE or EXITING process is in
                             # runq[p.priority] or in the round being run, once (the
                             # current process only once it gave up its turn); a
                             # waiting one is in neither; a dead one's entry is skipped
        self.spare = []      # an empty list that replaces a queue while its round runs
        self.normal_picks = 0  # normal slices since low last had a turn
        self.reds = 0        # reductions spent by the current slice
        self.resuming = None  # what the current process's await returns as it is
                             # resumed (traps.py); None while it is not resuming
        self.timers = Timers(libos.ticks_us, libos.ticks_diff)
        self.names = {}      # registered name -> record. Invariant: names[n].name == n
        self.owners = {}     # interrupt source -> record of the process that claimed it
        self.dropped = 0     # libos.dropped() when last looked at
        self.last_pid = 0    # number of the last Pid handed out
        self.main = None     # run(): record of the main process until it exits
        self.main_reason = None  # run(): the main process's exit reason
        self.budget = _no_budget  # libos.budget while run() arms slices
        self.slice_us = 0    # budget per slice
        self.busy = False    # inside run() or step(): they are not re-entered
        self.cut = False     # a slice was cut by its budget during this round
        self.escape = None   # KeyboardInterrupt/SystemExit that ended a process:
                             # re-raised after the round
        self.trouble = False  # cut or escape is set: handle them after the round
        self.guard = None    # record of the process whose life keeps the watchdog fed
        self.feed = None     # the watchdog's feed function, while `guard` is set
        self.feed_us = 0     # longest wait between two feeds
        self.traps = {}      # trap name -> handler: every method named trap_<name>
        for name in dir(type(self)):
            if name.startswith("trap_"):
                self.traps[name[5:]] = getattr(self, name)

    def trap(self, name):
        """The handler of trap `name` (traps.py binds its wrappers with this)."""
        handler = self.traps.get(name)
        if handler is None:
            raise TypeError("unknown trap %r; the scheduler handles: %s"
                            % (name, ", ".join(sorted(self.traps))))
        return handler

    # ------------------------------------------------------------------
    # Processes

    def spawn(self, fn, args, link, monitor, priority, name):
        """Start a process running fn(*args) (see api.spawn_opt); it runs when
        the scheduler next gets to its queue."""
        if priority not in PRIORITIES:
            raise ValueError("priority must be one of %s, got %r"
                             % (", ".join(PRIORITIES), priority))
        parent = self.current
        if parent is None and (link or monitor):
            raise RuntimeError("spawn with link or monitor needs a calling process")
        if name is not None:
            self.check_name(name)
        coro = start_coroutine(fn, copy_term(tuple(args)))
        self.last_pid += 1
        pid = Pid(self.last_pid, None)
        p = Process(pid, coro, fn, PRIORITIES.index(priority))
        ref = Ref() if monitor else None
        queue = self.runq[p.priority]
        queue.append(p)
        try:
            self.table[pid.n] = p
            pid._proc = p
            if name is not None:
                p.name = name
                self.names[name] = p
            if link:
                _add(parent, "links", pid)
                p.links = [parent.pid]
            if monitor:
                ref.watcher = parent
                _add(parent, "monitoring", ref)
                signals.signal(self, pid, signals.MONITOR, parent.pid, ref)
        except BaseException:
            # Out of memory (or out of slice) half way: undo every store, so
            # that the caller gets the exception and no process exists that
            # nothing could ever run or end.
            self._unspawn(p, queue, parent, ref)
            raise
        return (pid, ref) if monitor else pid

    def _unspawn(self, p, queue, parent, ref):
        if queue and queue[-1] is p:
            queue.pop()
        pid = p.pid
        if self.table.get(pid.n) is p:
            self._untable(p)
        pid._proc = None
        if p.name is not None and self.names.get(p.name) is p:
            del self.names[p.name]
        if parent is not None:
            for field, item in (("links", pid), ("monitoring", ref)):
                items = getattr(parent, field)
                if items and items[-1] is item:
                    items.pop()
        p.status = DEAD
        p.coro.close()

    def check_name(self, name):
        if type(name) is not str:
            raise TypeError("a registered name must be a str, got %r" % (name,))
        holder = self.names.get(name)
        if holder is not None:
            raise ValueError("name %r is already registered to %r" % (name, holder.pid))

    def _finish(self, p, reason, crash):
        """Record that `p` exited with `reason` and tell the others; `crash`
        is the exception to report, or None."""
        p.status = DEAD
        self._untable(p)
        p.pid._proc = None
        p.coro = None
        p.mailbox = None
        p.result = None
        if p.timer is not None:
            self.timers.drop(p.timer)
            p.timer = None
        name = p.name
        if name is not None and self.names.get(name) is p:
            del self.names[name]
        if p.claims is not None:
            for source in p.claims:
                if self.owners.get(source) is p:
                    del self.owners[source]
                    libos.release(source)
        if crash is not None and not _quiet(reason):
            logger.crash_report(p.pid, name, reason, crash)
        signals.process_exited(self, p, reason)
        if p is self.main:
            self.main = None
            self.main_reason = reason

    def _untable(self, p):
        # MicroPython's dict leaves a tombstone for most deletions, and
        # looking up a pid not in the table walks every tombstone: after a
        # wave of short-lived processes each spawn would cost O(wave). Copying
        # the table drops them; doing it once the deletions outnumber the live
        # entries keeps the cost amortised O(1).
        del self.table[p.pid.n]
        self.deletions += 1
        if self.deletions > len(self.table) + 64:
            self.deletions = 0
            try:
                self.table = dict(self.table)
            except MemoryError:
                pass  # slower lookups, nothing lost; try again later

    def _ended(self, p, exc):
        """`p`'s coroutine raised `exc` (StopIteration if it returned)."""
        if p.status is EXITING:  # an exit signal it sent itself
            self._finish(p, p.exit_reason, None)
        elif isinstance(exc, StopIteration):
            self._finish(p, "normal", None)
        elif isinstance(exc, ProcessExit):
            self._finish(p, exc.reason, exc)
        elif isinstance(exc, SliceExpired):
            # The cut may also have come just after the coroutine suspended.
            self.cut = self.trouble = True
            p.exit_reason = ("slice_exceeded", self.slice_us // 1000)
            p.status = EXITING
            self._terminate(p, exc)
        elif isinstance(exc, (KeyboardInterrupt, SystemExit)):
            self.escape = exc
            self.trouble = True
            self._finish(p, exc, None)
        else:
            if isinstance(exc, MemoryError):
                # Reclaim the dead process's heap now, from this shallow
                # stack: MicroPython's GC is conservative, and a collection
                # deep inside the next allocation can find stale words on
                # the C stack that keep it all alive.
                p.coro = None
                gc.collect()
            self._finish(p, exc, exc)

    def _terminate(self, p, crash=None):
        """End `p`, which has an exit reason, by throwing ProcessExit into it."""
        reason = p.exit_reason
        coro = p.coro
        budget = self.budget
        self.current = p
        self.resuming = None
        try:
            budget(self.slice_us)
            coro.throw(ProcessExit(reason))
            budget(0)
        except BaseException:
            budget(0)
        else:
            # It yielded instead of ending, by catching ProcessExit and then
            # awaiting something that is not a trap: it is ended anyway.
            try:
                coro.close()
            except BaseException:
                pass
        self.current = None
        self._finish(p, reason, crash)

    def _foreign(self, p, value):
        """`p` yielded `value` from an await that is not a runtime trap: throw
        TypeError into it, as often as it keeps doing so."""
        budget = self.budget
        while value is not BLOCK and p.status is not DEAD:
            error = TypeError("a process awaited something that yielded %r; only the "
                              "runtime's traps (receive, sleep) and async functions "
                              "that await them can be awaited" % (value,))
            self.current = p
            self.resuming = None
            try:
                budget(self.slice_us)
                value = p.coro.throw(error)
                budget(0)
            except BaseException as exc:
                budget(0)
                self.current = None
                self._ended(p, exc)
                return
            self.current = None

    # ------------------------------------------------------------------
    # Traps: run inside the awaiting process; return the await's result or
    # BLOCK. `p` is the calling process.

    def trap_receive(self, p, patterns, timeout):
        """The first message matching `patterns` (any message if none), or
        TIMEOUT once `timeout` ms have passed since the call (None: never)."""
        self.reds += 1
        if patterns:
            check(patterns)
        if timeout is not None:
            us = _number(timeout, "receive timeout")
        if p.mailbox:
            if patterns:
                message = p.take(patterns, p.head, NOTHING)
            else:
                message = p.take_oldest()
            if message is not NOTHING:
                if self.reds < QUOTA:
                    return message
                p.result = message
                self.runq[p.priority].append(p)  # its turn is over: back of the queue
                return BLOCK
        if timeout is not None:
            if us == 0:
                return TIMEOUT
            p.timer = self.timers.add(us, RECEIVE, p)
        if patterns:
            p.patterns = patterns
            p.scanned = len(p.mailbox) if p.mailbox is not None else 0
            p.status = SELECTING
        else:
            p.status = RECEIVING
        return BLOCK

    def trap_sleep(self, p, ms, unused):
        """Suspend for `ms` ms; messages stay queued. sleep(0) only gives the
        other ready processes their turn."""
        self.reds += 1
        us = 0 if ms == 0 else _number(ms, "sleep time")
        if us == 0:
            self.runq[p.priority].append(p)
            return BLOCK
        p.timer = self.timers.add(us, SLEEP, p)
        p.status = SLEEPING
        return BLOCK

    def resume_receive(self, p):
        """Continue a receive woken by a message: look at what arrived since
        it last looked; return a match, TIMEOUT, or BLOCK to wait again."""
        self.reds += 1
        message = p.take(p.patterns, p.scanned, NOTHING)
        timer = p.timer
        if message is not NOTHING:
            if timer is not None:
                self.timers.drop(timer)
                p.timer = None
            return message
        if timer is not None and timer[KIND] is None:  # its timer fired meanwhile
            p.timer = None
            return TIMEOUT
        p.scanned = len(p.mailbox)
        p.status = SELECTING
        return BLOCK

    # ------------------------------------------------------------------
    # The loop

    def step(self):
        """Run one step (phases 1-3); return 0 if processes are ready, else the
        us until the next timer, else None. For a REPL that runs the system
        while it waits for input; run() is made of the same steps."""
        if self.busy or self.current is not None:
            raise RuntimeError("step() is not re-entrant; it runs the processes itself")
        self.busy = True
        try:
            return self._loop(False)
        finally:
            self.busy = False

    def _loop(self, until_main_exits):
        """Steps, each in phases 1-3, then phase 4: idle (until_main_exits)
        or return what step() returns. One function, so that MicroPython
        makes its frame once per run() rather than once per step."""
        timers = self.timers
        budget = self.budget
        slice_us = self.slice_us
        events_now = libos.events
        # Locals: in MicroPython a global costs a dictionary lookup.
        runnable, exiting, start, none, block = RUNNABLE, EXITING, START, NONE, BLOCK
        high, normal, low = HIGH, NORMAL, LOW
        while True:
            # Phase 1: interrupt events become messages to their owners.
            events = events_now()
            if events:
                self._deliver_events(events)

            # Phase 2: due timers fire.
            if timers.heap or timers.incoming:
                now = timers.merge()
                entry = timers.pop_due(now)
                while entry is not None:
                    self._fire(entry)
                    entry = timers.pop_due(now)

            # Phase 3: one round: the processes ready now, of one priority.
            runq = self.runq
            priority = high if runq[high] else normal if runq[normal] else low
            batch = runq[priority]
            runq[priority] = self.spare
            if priority == normal and runq[low]:
                self._low_turns(batch)
            for p in batch:
                status = p.status
                if status is not runnable:
                    if status is exiting:
                        self._terminate(p)
                    continue  # else it died earlier in this round
                value = p.result
                if value is None:
                    value = none
                elif value is start:
                    value = None
                p.result = None
                self.resuming = value
                self.current = p
                self.reds = 0
                try:
                    budget(slice_us)
                    value = p.coro.send(None)
                    budget(0)
                except BaseException as exc:
                    budget(0)
                    p.reductions += self.reds
                    self._ended(p, exc)
                    continue
                p.reductions += self.reds
                if value is not block:
                    self._foreign(p, value)
            # (`current` still names the last process: cleared once per
            # round, not per slice; nothing between slices reads it.)
            self.current = None
            batch.clear()
            self.spare = batch
            if self.trouble:
                self._after_trouble()
                runq = self.runq

            # Phase 4: work out how long nothing is due; idle that long.
            if runq[high] or runq[normal] or runq[low]:
                wait = 0
            else:
                wait = None
                if timers.heap or timers.incoming:
                    now = timers.merge()
                    deadline = timers.next_deadline()
                    if deadline is not None:
                        wait = deadline - now if deadline > now else 0
            if self.guard is not None:
                wait = self._feed(wait)
            if not until_main_exits:
                return wait
            if self.main is None:
                return
            if wait != 0:
                idle(wait)

    def _after_trouble(self):
        self.trouble = False
        if self.cut:
            self.cut = False
            self.resync()
        if self.escape is not None:
            escape = self.escape
            self.escape = None
            raise escape

    def _feed(self, wait):
        """Feed the watchdog if its guard lives; return `wait` capped so that
        the next feed comes in time."""
        if self.guard.status is DEAD:
            self.guard = self.feed = None  # for good: let the watchdog reset the board
            return wait
        self.feed()
        return self.feed_us if wait is None or wait > self.feed_us else wait

    def _low_turns(self, batch):
        """Add to a normal round one low process per LOW_TURN normal ones."""
        low = self.runq[LOW]
        self.normal_picks += len(batch)
        while self.normal_picks >= LOW_TURN and low:
            self.normal_picks -= LOW_TURN
            batch.append(low.pop(0))

    def _fire(self, entry):
        kind = entry[KIND]
        entry[KIND] = None
        target = entry[TARGET]
        if kind is SEND:
            p = target._proc if type(target) is Pid else self.names.get(target)
            if p is not None:
                deliver_message(self, p, entry[MESSAGE])
        elif target.timer is entry:
            if kind is RECEIVE:
                if target.status is RECEIVING or target.status is SELECTING:
                    target.timer = None
                    target.result = TIMEOUT
                    self._make_runnable(target)
                # else a message woke it; resume_receive sees the timer fired
            elif target.status is SLEEPING:
                target.timer = None
                self._make_runnable(target)

    def _make_runnable(self, p):
        p.status = RUNNABLE
        self.runq[p.priority].append(p)

    def _deliver_events(self, events):
        owners = self.owners
        for source, value in events:
            p = owners.get(source)
            if p is not None:
                deliver_message(self, p, ("event", source, value))
        dropped = libos.dropped()
        if dropped != self.dropped:
            logger.log("warning", "libos dropped %d interrupt events (event ring full)"
                       % (dropped - self.dropped))
            self.dropped = dropped

    def resync(self):
        """Restore the run-queue invariant after a slice was cut by its budget:
        the cut may have fallen between the stores of a wake-up (signals.py)."""
        queues = [[], [], []]
        for n in sorted(self.table):
            p = self.table[n]
            if p.status is RECEIVING and p.result is not None:
                p.status = RUNNABLE  # a message was handed over, the wake-up cut short
            elif p.status is SELECTING and len(p.mailbox or ()) > p.scanned:
                p.result = RESCAN
                p.status = RUNNABLE
            if p.status is RUNNABLE or p.status is EXITING:
                queues[p.priority].append(p)
        self.runq = queues

    # ------------------------------------------------------------------
    # run() and interrupt sources

    def run(self, fn, args, slice_ms):
        """Run the system until the process running fn(*args) exits; return
        its exit reason. Every other process still alive then is killed."""
        if self.busy or self.current is not None:
            raise RuntimeError("run() cannot be called from a process or from inside run()")
        pid = self.spawn(fn, args, False, False, "normal", None)
        self.main = pid._proc
        self.main_reason = None
        self.busy = True
        try:
            self.slices(slice_ms)
            self._loop(True)
            return self.main_reason
        finally:
            self._shutdown()
            self.busy = False
            self.budget = _no_budget
            self.slice_us = 0

    def slices(self, slice_ms):
        """Run each slice under a budget of `slice_ms` (0: none) where libos
        has one (run() does this; boot does it for the steps of a live board)."""
        slice_us = _number(slice_ms, "slice_ms")
        if _budget is not None and slice_us:
            try:
                _budget(slice_us)
                _budget(0)
                self.budget = _budget
                self.slice_us = slice_us
            except Exception as exc:  # e.g. CPython outside the main thread
                logger.log("warning", "slices run without a budget: %s" % logger.describe(exc))

    def watchdog(self, pid, feed, every_us):
        """Call `feed` once per step while process `pid` lives, and cap every
        wait at `every_us`; stop for good once it has exited (design, 7)."""
        p = pid._proc
        if p is None:
            raise ValueError("watchdog: %r is not alive" % (pid,))
        self.guard = p
        self.feed = feed
        self.feed_us = every_us

    def _shutdown(self):
        self.main = None
        while self.table:  # (finally blocks may spawn)
            try:
                victims = [self.table[n] for n in sorted(self.table)]
            except MemoryError:
                # A full heap: kill in the table's own order, which needs no
                # list (the kills only mark records; none leaves the table
                # before _loop runs).
                victims = self.table.values()
            for p in victims:
                signals.signal(self, p.pid, signals.EXIT, None, "kill")
            self._loop(False)
        self.timers.clear()

    def claim(self, p, source):
        """Make process `p` the owner of interrupt source `source`."""
        owner = self.owners.get(source)
        if owner is p:
            return
        if owner is not None:
            raise ValueError("source %r is already claimed by %r" % (source, owner.pid))
        libos.claim(source)
        _add(p, "claims", source)
        self.owners[source] = p

    def release(self, p, source):
        """Give up `source`, which process `p` owns."""
        if self.owners.get(source) is not p:
            raise ValueError("source %r is not claimed by the calling process" % (source,))
        del self.owners[source]
        p.claims.remove(source)
        libos.release(source)


def idle(wait):
    """Idle for `wait` us as step() returned it (None: until an event), but
    never longer than IDLE_CAP_US."""
    libos.idle(IDLE_CAP_US if wait is None or wait > IDLE_CAP_US else wait)


def _add(p, field, item):
    """Append `item` to the list in `p`'s `field`, made on first use."""
    items = getattr(p, field)
    if items is None:
        setattr(p, field, [item])
    else:
        items.append(item)


def _quiet(reason):
    """Exit reasons that are no crash, as OTP's proc_lib sees them."""
    if type(reason) is str:
        return reason == "normal" or reason == "shutdown"
    return type(reason) is tuple and len(reason) == 2 and reason[0] == "shutdown"


SCHEDULER = Scheduler()
