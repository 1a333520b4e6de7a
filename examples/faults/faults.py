"""The fault injector of the exchange demo (`make demo`): a process that
hits the running exchange with one fault after another, shows what the
supervisors do about each, measures how long the exchange takes to recover,
and ends with a summary and a verdict line ("DEMO PASSED" or "DEMO FAILED:
why").

Each fault is injected from outside the faulty part, through messages and
the public API, as a bug or a bad peer would: the exchange's own modules
carry the flaws (see their docstrings). A fault is recovered when the part
it hit is back (restarted, answering) and a call has completed since.
"""
import gc

import libos
import runtime
from runtime import gen_server, gen_statem, logger, supervisor

from exchange import analysis, line, stats, tree
from exchange.config import CALL_INTERVAL, LINES, LOST_AFTER

WARM_UP = 800           # ms of traffic before the first fault
SETTLE = LOST_AFTER + 200  # after recovery: calls caught by the fault end or count as lost
CALM = 600              # ms of plain traffic between faults
RECOVERY_LIMIT = 5000   # a fault not recovered by then fails the demo
HEAP_SLACK = 16384      # bytes the free heap may end below its start: bounded buffers fill
POLL = 5                # ms between two looks at a recovering exchange


class Demo:
    """The injector's state: the clock, what the supervisors did, figures."""

    def __init__(self):
        self.t0 = libos.ticks_ms()
        self.struck = 0         # when the current fault hit, in now() ms
        self.actions = []       # (who, what) the supervisors and the processes
                                # reported during the current fault
        self.restarts = {}      # supervisor name -> restarts it made
        self.child_restarts = {}  # child id -> times restarted
        self.results = []       # (fault, recovery ms or None)

    def now(self):
        return libos.ticks_diff(libos.ticks_ms(), self.t0)

    def say(self, text):
        print("[%6d ms] %s" % (self.now(), text))

    def strike(self, text):
        """Says what the fault is; recovery is timed from here."""
        self.say("fault: " + text)
        self.struck = self.now()

    def on_report(self, level, text, facts):
        """A logger handler: follows what the supervisors do, and the
        warnings the exchange's processes give."""
        if facts is None:
            if level == "warning":
                self.actions.append(("reported", text))
            return
        if facts["kind"] != "supervisor":
            return
        event, name = facts["event"], facts["name"]
        if event == "child_restarted":
            self.restarts[name] = self.restarts.get(name, 0) + 1
            self.child_restarts[facts["id"]] = self.child_restarts.get(facts["id"], 0) + 1
            self.actions.append(("supervisors", "%s restarted %s" % (name, facts["id"])))
        elif event == "shutdown":
            self.actions.append(("supervisors", "%s reached its restart intensity and shut down"
                                 % name))
        elif event == "child_terminated" and facts["reason"] not in ("normal", "shutdown"):
            self.actions.append(("supervisors", "%s saw %s exit: %s" % (
                name, child_name(facts), logger.describe(facts["reason"]))))


def child_name(facts):
    return facts["id"] if facts["id"] is not None else "a call"


async def completed_calls():
    return sum(counts["completed"] for name, counts in await stats.phases())


async def answers(number):
    try:
        return await analysis.analyse(number, 100) == ("line", number)
    except gen_server.CallExit:
        return False


def lines_registered():
    return all(runtime.whereis(line.name(n)) is not None for n in LINES)


def restarted(name, old):
    """Whether `name` is registered again, by another process than `old`."""
    new = runtime.whereis(name)
    return new is not None and new != old


# The faults: (short name, what is done, inject(demo) -> probe, exposed).
# inject does the damage and returns the probe: an async function that says
# whether the part it hit is back.

async def call_exception(demo):
    """Transfer a connected call to a number that is not a line."""
    while True:
        for child in await supervisor.which_children("calls"):
            pid = child[1]
            try:
                state, data = await gen_statem.get_state(pid, 100)
            except gen_server.CallExit:
                continue    # it ended meanwhile
            if state == "connected":
                demo.strike("transfer call %r (%s -> %s) to 9999, a number that is not a line"
                            % (pid, data["caller"], data["callee"]))
                try:
                    await gen_statem.call(pid, ("transfer", "9999"), 500)
                except gen_server.CallExit as e:
                    demo.say("       the call ended: %s" % logger.describe(e.reason[0]))

                async def gone():
                    return runtime.process_info(pid) is None
                return gone
        await runtime.sleep(POLL)


async def analysis_crash(demo):
    old = runtime.whereis("analysis")
    demo.strike("kill the number-analysis server %r" % old)
    runtime.exit(old, "kill")

    async def back():
        return restarted("analysis", old) and await answers("1001")
    return back


async def runaway(demo):
    old = runtime.whereis("analysis")
    demo.strike("forward 1007 to 1008 and 1008 to 1007, then dial 1007: "
                "analysis loops for ever")
    await gen_server.call("analysis", ("forward", "1007", "1008"))
    await gen_server.call("analysis", ("forward", "1008", "1007"))
    try:
        await analysis.analyse("1007", 1000)
    except gen_server.CallExit as e:
        demo.say("       analysing 1007 failed: %s" % logger.describe(e.reason[0]))

    async def back():
        return restarted("analysis", old) and await answers("1007")
    return back


async def memory_hog(demo):
    old = runtime.whereis("charging")
    rows = libos.mem()["heap_total"] // 4
    demo.strike("ask charging for a report of %d rows: more than the heap holds" % rows)
    try:
        await gen_server.call("charging", ("report", rows), 5000)
    except gen_server.CallExit as e:
        demo.say("       the report failed: %s" % logger.describe(e.reason[0]))

    async def back():
        if not restarted("charging", old):
            return False
        try:
            await gen_server.call("charging", ("totals",), 100)
        except gen_server.CallExit:
            return False
        return await answers("1001")
    return back


async def malformed(demo):
    target = runtime.whereis(line.name("1004"))
    garbage = (("dial",), b"\xff\x00\x13", ("ring", "nobody", 7), None, ("hang_up", 1, 2, 3))
    demo.strike("send line 1004 five malformed messages")
    for msg in garbage:
        runtime.send(target, msg)

    async def back():
        return runtime.whereis(line.name("1004")) == target
    return back


async def intensity(demo):
    old = runtime.whereis("lines")
    victim = line.name("1001")
    demo.strike("kill %s again and again, faster than 'lines' allows (3 restarts in 10 s)"
                % victim)
    for _ in range(4):
        pid = runtime.whereis(victim)
        while pid is None:
            await runtime.sleep(POLL)
            pid = runtime.whereis(victim)
        runtime.exit(pid, "kill")
        while runtime.whereis(victim) == pid:
            await runtime.sleep(POLL)

    async def back():
        return restarted("lines", old) and lines_registered()
    return back


FAULTS = (
    ("exception in a call", call_exception, True),
    ("analysis server crash", analysis_crash, True),
    ("runaway loop", runaway, True),
    ("memory hog", memory_hog, True),
    ("malformed messages", malformed, False),
    ("restart intensity", intensity, True),
)


async def recover(demo, probe, before):
    """Waits until the probe holds and a call has completed since; returns
    the ms it took from the strike, or None past RECOVERY_LIMIT."""
    while demo.now() - demo.struck < RECOVERY_LIMIT:
        if await probe() and await completed_calls() > before:
            return demo.now() - demo.struck
        await runtime.sleep(POLL)
    return None


def free_heap():
    gc.collect()
    return libos.mem()["heap_free"]


async def run():
    """The injector's process."""
    demo = Demo()
    logger.set_level("critical")    # the demo tells the story itself
    logger.add_handler(demo.on_report)
    target = libos.board()
    print()
    demo.say("exchange up on %s: %d lines, a call attempt every %d ms"
             % (target["name"], len(LINES), CALL_INTERVAL))
    await runtime.sleep(WARM_UP)
    heap_start = free_heap()
    demo.say("free heap %d bytes" % heap_start)
    for number, (name, inject, exposed) in enumerate(FAULTS, 1):
        if name == "memory hog" and target["target"] == "cpython":
            demo.say("%d. %s: skipped, a host has no heap to exhaust" % (number, name))
            continue
        print()
        demo.say("%d. %s" % (number, name))
        stats.phase(name, exposed)
        demo.actions = []
        before = await completed_calls()
        probe = await inject(demo)
        took = await recover(demo, probe, before)
        for who, what in demo.actions:
            demo.say("       %s: %s" % (who, what))
        if not any(who == "supervisors" for who, what in demo.actions):
            demo.say("       supervisors: nothing to do")
        demo.results.append((name, took))
        demo.say("       recovered in %d ms" % took if took is not None
                 else "       NOT recovered within %d ms" % RECOVERY_LIMIT)
        await runtime.sleep(SETTLE)
        stats.phase("calm after " + name, False)
        await runtime.sleep(CALM)
    await runtime.sleep(SETTLE)
    heap_end = free_heap()
    logger.remove_handler(demo.on_report)
    await summary(demo, heap_start, heap_end)


async def summary(demo, heap_start, heap_end):
    print()
    demo.say("summary")
    print("%-24s %9s %6s %6s %5s %6s %5s" % ("phase", "recovered", "calls", "done", "busy",
                                             "no ans", "lost"))
    recovered = dict(demo.results)
    lost_in_calm = 0
    for name, counts in await stats.phases():
        took = recovered.get(name, "")
        if took is None:
            took = "NO"
        elif took != "":
            took = "%d ms" % took
        label = name if name in recovered or name == "start" else "  then calm"
        print("%-24s %9s %6d %6d %5d %6d %5d" % (label, took, counts["attempted"], counts["completed"],
                                                 counts["busy"], counts["no_answer"], counts["lost"]))
        if name not in recovered:
            lost_in_calm += counts["lost"]
    print("restarts per supervisor: " + ", ".join(
        "%s %d" % (name, demo.restarts.get(name, 0)) for name in tree.SUPERVISORS))
    done = [(took, name) for name, took in demo.results if took is not None]
    longest = max(done) if done else (0, "none")
    print("longest recovery: %d ms (%s)" % longest)
    hosted = libos.board()["target"] == "cpython"
    if hosted:
        print("free heap: not watched on a host (no GC heap of its own)")
    else:
        print("free heap: %d bytes at the start, %d at the end (%+d)"
              % (heap_start, heap_end, heap_end - heap_start))
    print("supervision tree (restarts):")
    await draw("exchange", "", demo)
    failures = [name for name, took in demo.results if took is None]
    if failures:
        verdict = "DEMO FAILED: not recovered from " + ", ".join(failures)
    elif lost_in_calm:
        verdict = "DEMO FAILED: %d calls lost outside a fault" % lost_in_calm
    elif not hosted and heap_end < heap_start - HEAP_SLACK:
        verdict = "DEMO FAILED: the heap shrank by %d bytes" % (heap_start - heap_end)
    else:
        verdict = "DEMO PASSED: recovered from %d faults, no call lost outside them%s" % (
            len(done), "" if hosted else ", heap flat")
    print(verdict)


async def draw(sup, indent, demo):
    """Prints the tree under supervisor `sup` with each child's restarts."""
    if not indent:
        print("  %s (%s)" % (sup, tree.STRATEGIES[sup]))
    children = await supervisor.which_children(sup)
    for i, (id_, pid, kind, modules) in enumerate(children):
        last = i == len(children) - 1
        if id_ is None:     # a call: simple_one_for_one children have no id
            print("  %s%s call %r" % (indent, "`--" if last else "|--", pid))
            continue
        label = id_ + (" (%s)" % tree.STRATEGIES[id_] if kind == "supervisor" else "")
        restarts = demo.child_restarts.get(id_, 0)
        print("  %s%s %-28s %d restart%s" % (indent, "`--" if last else "|--", label,
                                             restarts, "" if restarts == 1 else "s"))
        if kind == "supervisor":
            await draw(id_, indent + ("    " if last else "|   "), demo)


def child_spec():
    return {"id": "faults", "start": (runtime.spawn_link, (run,)), "restart": "temporary",
            "shutdown": "brutal_kill"}
