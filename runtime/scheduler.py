"""The scheduler: runs processes, turns timers and interrupts into messages,
and idles when there is nothing to do.

Design, in seven points.

1. A process is a coroutine (an `async def` function). It runs until it
   awaits something that cannot complete at once; then the scheduler picks
   the next process. Nothing preempts a process at an arbitrary bytecode
   except the slice budget (6).

2. traps.py is the only place that yields to the scheduler. A trap
   (receive, sleep, checkpoint) is handled synchronously inside the awaiting
   process by its handler in receive.py (`TRAPS`); hibernate's handler is
   in hibernation.py. A receive that finds its
   message returns without a round trip through the loop. A process that
   must wait yields the single token BLOCK; whoever wakes it stores what
   its await returns (runq.make_runnable), and the loop passes that on in
   `resuming` when it resumes it.

3. Messages and signals are delivered synchronously by their sender
   (receive.deliver, signals.py), so what one process sends another arrives
   in order. A fatal exit signal only records a reason (status EXITING); the
   target ends the next time it would run (lifecycle.terminate).

4. One step of the loop, the unit `run()` repeats and the REPL drives:

       interrupt events --> messages      (phase 1, sources.py)
       due timers --> timeouts, wakes, send_after messages  (phase 2)
       one round of ready processes      (phase 3, runq.py)
       activations: memory, watchdog, hibernation's collector  (see (7), may cap the wait)
       -> 0 if processes are ready, else us until the next timer, else None

   and between steps `run()` calls libos.idle for that long (phase 4).

5. Time is microseconds since a base, advanced with ticks_diff of the
   wrapping libos clock (timers.py). Deadlines are absolute in that count;
   a receive timeout is measured from the call.

6. Every slice runs through the runner (compat.Runner) under the slice
   budget. A process that overruns it gets SliceExpired raised wherever it
   is and exits with ('slice_exceeded', ms), even if it catches it; if it
   is still running at the budget's repeat, the runner leaves its
   coroutine from C (on our firmware). A cut may fall inside a runtime call
   the process was making (a send, a link), half way through a wake-up:
   the run queues are rebuilt after any round with a cut (runq.rebuild).

7. What the loop does not own it sees through activations: objects whose
   after_step(s, wait) runs at the end of every step that is about to wait
   (and of busy steps, once per millisecond) and returns the wait, perhaps
   capped (curio's activations). The memory policy (memory.py) is always
   one; the watchdog (watchdog.py) is one while boot keeps it; the
   collector of hibernation.py joins once a process first hibernates.
"""
import libos

from runtime import lifecycle, limits, logger, signals
from runtime.compat import Runner, abandon
from runtime.lifecycle import DONE, EXPIRED, FAILED
from runtime.memory import Memory
from runtime.process import DEAD, EXITING, NOVALUE, RUNNABLE, START
from runtime.receive import BLOCK, TRAPS, deliver, timer_fired
from runtime.runq import RunQueues
from runtime.sources import Sources
from runtime.table import ProcessTable
from runtime.timers import KIND, MESSAGE, SEND, TARGET, Timers, missed_by, us_of
from runtime.watchdog import Watchdog

SLICE_MS = 100          # default slice budget
CHECKPOINT_US = 10000   # a slice this long is long enough to yield at a checkpoint
IDLE_CAP_US = 10000000  # longest idle: the wrapping clock must be read well within 2**29 us
SHUTDOWN_PASSES = 16    # passes run()'s end makes over the processes left before abandoning them
SHUTDOWN_BATCH = 64     # processes it ends per pass over the table

_budget = getattr(libos, "budget", None)


class Scheduler:
    def __init__(self):
        self.current = None  # record of the process running now; None outside slices
        self.table = ProcessTable()  # every live process (table.py)
        self.runq = RunQueues()  # the ready processes (runq.py)
        self.reds = 0        # reductions spent by the current slice
        self.resuming = NOVALUE  # what the current process's await returns as it is
                             # resumed (traps.py); NOVALUE while it is not resuming
        self.timers = Timers(libos.ticks_us, libos.ticks_diff)
        self.names = {}      # registered name -> record (registry.py)
        self.sources = Sources()  # interrupt sources and their owners (sources.py)
        self.remote = signals.UNREACHABLE  # signals to other nodes (runtime.node installs a router)
        self.memory = Memory(limits.RESERVE_BYTES, limits.GC_EVERY)  # reserve and out-of-memory policy
        self.activations = [self.memory]  # see after_step at the end of every step (7)
        self.runner = Runner(DONE, FAILED, EXPIRED)  # runs each slice (6)
        self.run_round = _run_round  # phase 3: run_round(s, batch)
        if hasattr(self.runner, "run_round"):  # our firmware's: the round in C
            self.runner.round_policy(lifecycle.terminate, lifecycle.slice_ended, BLOCK)
            # (Two arguments: MicroPython calls a bound method of more than
            # four through an argument array on the heap, py/objboundmeth.c.)
            self.run_round = self.runner.run_round
        self.last_pid = 0    # number of the last Pid handed out
        self.main = None     # run(): record of the main process until it exits
        self.main_reason = None  # run(): the main process's exit reason
        self.slice_us = 0    # budget per slice; 0: none
        self.slice_reason = ("slice_exceeded", 0)  # made once: a runaway may have filled the heap
        self.busy = False    # inside run() or step(): they are not re-entered
        self.cut = False     # a slice was cut by its budget during this round
        self.escape = None   # KeyboardInterrupt/SystemExit that ended a process:
                             # re-raised after the round
        self.trouble = False  # cut or escape is set: handle them after the round
        self.guard_error = None  # what the last failed lifecycle.guarded call raised
        self.batch = [None] * SHUTDOWN_BATCH  # run()'s end takes processes here: made now,
                             # since the heap may be full then

    def trap(self, name):
        """The handler of trap `name` (traps.py binds its wrappers with this)."""
        handler = TRAPS.get(name)
        if handler is None:
            raise TypeError("unknown trap %r; the scheduler handles: %s"
                            % (name, ", ".join(sorted(TRAPS))))
        return handler

    def kill(self, p, reason):
        signals.kill(self, p, reason)

    def overflow(self, p):
        """`p`'s mailbox is full (receive.deliver): kill it, as max_heap_size
        does in OTP."""
        limit = p.max_queue
        self.kill(p, ("max_queue", limit))
        try:
            logger.log("error", "=LIMIT REPORT==== process %r killed: more than %d messages "
                       "queued (max_queue)" % (p.pid, limit))
        except MemoryError:
            pass  # its exit reason says it all

    def slice_long(self):
        """The running slice has run long enough to yield at a checkpoint."""
        return self.runner.elapsed_us() >= CHECKPOINT_US

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
        except BaseException:
            self._interrupted()
            raise
        finally:
            self.busy = False

    def _interrupted(self):
        """An exception left the loop half way through a step (Ctrl-C in the
        scheduler's own code): the round it broke off may have taken
        processes from their queues; put every one back."""
        self.current = None
        self.resuming = NOVALUE
        self._rebuild()

    def _rebuild(self):
        """runq.rebuild, making room first if the heap has none for it (and
        trying again after the next step if there is none to make)."""
        while True:
            try:
                self.runq.rebuild(self.table)
                return
            except MemoryError:
                if not self.memory.relieve(self):
                    self.cut = self.trouble = True
                    return

    def _loop(self, until_main_exits):
        """Steps, each in phases 1-3, then phase 4: idle (until_main_exits)
        or return what step() returns. One function, so that MicroPython
        makes its frame once per run() rather than once per step."""
        timers = self.timers
        runq = self.runq
        run_round = self.run_round
        events_now = libos.events
        ticks_ms = libos.ticks_ms
        activated_ms = None
        while True:
            try:
                # Phase 1: interrupt events become messages to their owners.
                events = events_now()
                if events:
                    self.sources.deliver_events(self, events)

                # Phase 2: due timers fire.
                if timers.heap or timers.incoming:
                    now = timers.merge()
                    entry = timers.pop_due(now)
                    while entry is not None:
                        self._fire(entry)
                        entry = timers.pop_due(now)

                # Phase 3: one round: the processes ready now, of one priority.
                batch = runq.take_round()
                run_round(self, batch)
                runq.end_round(batch)
                if self.trouble:
                    self._after_trouble()

                # Phase 4: work out how long nothing is due; idle that long.
                if runq.ready():
                    wait = 0
                else:
                    wait = None
                    if timers.heap or timers.incoming:
                        now = timers.merge()
                        deadline = timers.next_deadline()
                        if deadline is not None:
                            wait = deadline - now if deadline > now else 0
                # Activations see every step that is about to wait, and busy
                # steps once per millisecond at most: checked every step,
                # the memory policy's clock read cost a ring hop a sixth
                # of its instructions.
                ms = ticks_ms()
                if wait != 0 or ms != activated_ms:
                    activated_ms = ms
                    for activation in self.activations:
                        wait = activation.after_step(self, wait)
            except MemoryError:
                # The heap ran out in the scheduler's own work, whose every
                # step leaves the records consistent: make room, put back
                # what a broken-off round had taken, and go on.
                self.current = None
                self.memory.relieve(self)
                self.cut = self.trouble = True
                wait = 0
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
            self._rebuild()
        if self.escape is not None:
            escape = self.escape
            self.escape = None
            raise escape

    def _fire(self, entry):
        kind = entry[KIND]
        target = entry[TARGET]
        message = entry[MESSAGE]
        entry[KIND] = None
        entry[TARGET] = entry[MESSAGE] = None
        if kind is SEND:
            if type(target) is str:
                target = self.names.get(target)
            else:
                target = target._proc
                if target is not None:
                    missed_by(target, entry)
            if target is None:
                return
        while True:
            try:
                if kind is SEND:
                    deliver(self, target, message)
                else:
                    timer_fired(self, target, kind, entry)
                return
            except MemoryError:  # nothing was changed (runq.py): make room, try again
                if not self.memory.relieve(self):
                    self.memory.drop()
                    return

    # ------------------------------------------------------------------
    # run() and its end

    def run(self, fn, args, slice_ms):
        """Run the system until the process running fn(*args) exits; return
        its exit reason. Every other process still alive then is killed."""
        if self.busy or self.current is not None:
            raise RuntimeError("run() cannot be called from a process or from inside run()")
        us_of(slice_ms, "slice_ms")
        pid = lifecycle.spawn(self, fn, args, False, False, "normal", None, None)
        self.main = pid._proc
        self.main_reason = None
        self.busy = True
        try:
            self.slices(slice_ms)
            self._loop(True)
            return self.main_reason
        finally:
            try:
                self._shutdown()
            finally:
                self._reset()

    def slices(self, slice_ms):
        """Run each slice under a budget of `slice_ms` (0: none) where libos
        has one (run() does this; boot does it for the steps of a live board)."""
        slice_us = us_of(slice_ms, "slice_ms")
        self.slice_us = 0
        self.runner.budget(0)
        if _budget is not None and slice_us:
            try:
                _budget(slice_us)
                _budget(0)
            except Exception as exc:  # e.g. CPython outside the main thread
                logger.log("warning", "slices run without a budget: %s" % logger.describe(exc))
                return
            self.slice_us = slice_us
            self.slice_reason = ("slice_exceeded", slice_us // 1000)
            self.runner.budget(slice_us)

    def watchdog(self, pid, feed, every_us):
        """Call `feed` once per step while process `pid` lives, and cap every
        wait at `every_us`; stop for good once it has exited (watchdog.py)."""
        p = pid._proc
        if p is None:
            raise ValueError("watchdog: %r is not alive" % (pid,))
        for activation in self.activations:
            if isinstance(activation, Watchdog):
                self.activations.remove(activation)
                break
        self.activations.append(Watchdog(p, feed, every_us))

    def _shutdown(self):
        """End every process still alive, without the run queues (which
        need memory that a full heap may not have): all are marked EXITING
        first, so that none gets news of the others' ends, then each is
        ended in turn (its `finally` blocks run under the budget, and may
        spawn: those are ended too, for SHUTDOWN_PASSES passes; after that
        what is left is abandoned)."""
        self.main = None
        batch = self.batch
        passes = 0
        while self.table:
            passes += 1
            for p in self.table.unordered():  # (marks records; none leaves the table)
                if p.status is not EXITING:
                    p.result = "killed"
                    p.status = EXITING
            count = 0
            for p in self.table.unordered():
                batch[count] = p
                count += 1
                if count == len(batch):
                    break
            for i in range(count):
                p = batch[i]
                batch[i] = None
                if p.status is DEAD:
                    continue
                if passes <= SHUTDOWN_PASSES:
                    lifecycle.terminate(self, p)
                else:
                    abandon(self.runner, p.coro)
                    lifecycle.finish(self, p, "killed", None)
        self.timers.clear()

    def _reset(self):
        """Leave the scheduler as run() found it, however run() ended."""
        self.busy = False
        self.current = None
        self.resuming = NOVALUE
        self.trouble = self.cut = False
        self.escape = None
        self.slice_us = 0
        self.runner.budget(0)
        if self.table:  # _shutdown itself was interrupted (Ctrl-C): drop what is left
            for p in self.table.unordered():
                p.status = DEAD
                p.pid._proc = None
                p.coro = None
            self.table.clear()
            self.names.clear()
        self.main = None
        self.timers.clear()
        self.runq.clear()


def _run_round(s, batch):
    """Phase 3 for the processes of `batch`: each runs one slice (or is
    ended, if EXITING). On our firmware the runner's run_round (firmware/
    modruntime.c) is this round in C."""
    resume = s.runner.resume
    terminate, slice_ended = lifecycle.terminate, lifecycle.slice_ended
    # Locals: in MicroPython a global costs a dictionary lookup.
    runnable, exiting, start, novalue, block = RUNNABLE, EXITING, START, NOVALUE, BLOCK
    for p in batch:
        status = p.status
        if status is not runnable:
            if status is exiting:
                terminate(s, p)
            continue  # else it died or waits again (a stale entry, see runq.py)
        value = p.result
        p.result = novalue
        s.resuming = novalue if value is start else value
        s.current = p
        s.reds = 0
        out = resume(p.coro)
        p.reductions += s.reds
        if out is not block:
            s.current = None
            slice_ended(s, p, out)
    # (`current` still names the last process that blocked: cleared once
    # per round, not per slice; nothing between slices reads it.)
    s.current = None


def idle(wait):
    """Idle for `wait` us as step() returned it (None: until an event), but
    never longer than IDLE_CAP_US."""
    libos.idle(IDLE_CAP_US if wait is None or wait > IDLE_CAP_US else wait)


SCHEDULER = Scheduler()
