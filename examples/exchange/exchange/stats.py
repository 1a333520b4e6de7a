"""Call statistics: a gen_server registered as 'stats' that follows every
call attempt to its outcome, phase by phase.

A phase is a stretch of the run with a name (the fault demo names one per
fault, and the calm between faults). An attempt counts in the phase it was
made in; when a new phase is marked `exposed` (a fault begins), the calls
still in flight move into it, since the fault may catch them. An attempt
with no outcome after LOST_AFTER ms counts as lost.
"""
import libos
import runtime
from runtime import gen_server

from exchange.config import LOST_AFTER

OUTCOMES = ("completed", "busy", "no_answer", "unknown", "lost")
SWEEP_EVERY = 100


class Stats(gen_server.GenServer):
    def init(self, arg):
        runtime.send_after(SWEEP_EVERY, runtime.self_pid(), "sweep")
        return {"phases": [new_phase("start")], "open": {}}

    def handle_cast(self, msg, state):
        kind, open_ = msg[0], state["open"]
        phases = state["phases"]
        if kind == "attempt":
            open_[msg[1]] = (libos.ticks_ms(), len(phases) - 1)
            phases[-1][1]["attempted"] += 1
        elif kind == "outcome":
            found = open_.pop(msg[1], None)
            if found is not None:
                phases[found[1]][1][msg[2]] += 1
        elif kind == "phase":
            phases.append(new_phase(msg[1]))
            if msg[2]:
                move_in_flight(phases, open_)
        return ("noreply", state)

    def handle_info(self, msg, state):
        if msg == "sweep":
            now, open_ = libos.ticks_ms(), state["open"]
            for attempt in [a for a, (t, p) in open_.items() if libos.ticks_diff(now, t) > LOST_AFTER]:
                state["phases"][open_.pop(attempt)[1]][1]["lost"] += 1
            runtime.send_after(SWEEP_EVERY, runtime.self_pid(), "sweep")
        return ("noreply", state)

    def handle_call(self, request, from_, state):
        if request == "phases":
            return ("reply", [(name, dict(counts)) for name, counts in state["phases"]], state)
        if request == "in_flight":
            return ("reply", len(state["open"]), state)
        return ("reply", ("error", "unknown request"), state)


def new_phase(name):
    counts = {"attempted": 0}
    for outcome in OUTCOMES:
        counts[outcome] = 0
    return (name, counts)


def move_in_flight(phases, open_):
    last = len(phases) - 1
    for attempt, (t, p) in list(open_.items()):
        phases[p][1]["attempted"] -= 1
        phases[last][1]["attempted"] += 1
        open_[attempt] = (t, last)


async def start_link():
    return await gen_server.start_link(Stats, None, name="stats")


def attempt(number):
    gen_server.cast("stats", ("attempt", number))


def outcome(number, kind):
    gen_server.cast("stats", ("outcome", number, kind))


def phase(name, exposed):
    gen_server.cast("stats", ("phase", name, exposed))


async def phases():
    return await gen_server.call("stats", "phases")
