"""How the exchange is supervised:

    exchange            one_for_one          the root
    |-- core            rest_for_one         charging, then analysis (it
    |   |-- charging                         uses charging's records)
    |   `-- analysis
    |-- calls           simple_one_for_one   a gen_statem per call, temporary
    |-- lines           one_for_one          a process per subscriber line
    |   `-- line:1001 ... line:1008
    `-- ops             one_for_one          statistics, the traffic generator
        |-- stats                            (and what the image adds, such
        `-- traffic                          as the fault injector)
"""
from runtime import supervisor

from exchange import analysis, call, charging, line, stats, traffic
from exchange.config import LINES


# The supervisors, top down, and each one's strategy (for drawing the tree).
SUPERVISORS = ("exchange", "core", "calls", "lines", "ops")
STRATEGIES = {"exchange": "one_for_one", "core": "rest_for_one", "calls": "simple_one_for_one",
              "lines": "one_for_one", "ops": "one_for_one"}


def supervisor_spec(id_, children, strategy, intensity, period):
    return {"id": id_, "type": "supervisor",
            "start": (supervisor.start_link, (children, strategy, intensity, period, id_))}


def worker_spec(id_, start):
    return {"id": id_, "start": (start, ())}


async def start_link(ops_extra=()):
    core = [worker_spec("charging", charging.start_link),
            worker_spec("analysis", analysis.start_link)]
    lines = [line.child_spec(number) for number in LINES]
    ops = [worker_spec("stats", stats.start_link), traffic.child_spec()] + list(ops_extra)
    children = [supervisor_spec("core", core, STRATEGIES["core"], 5, 10),
                supervisor_spec("calls", [call.child_spec()], STRATEGIES["calls"], 10, 10),
                supervisor_spec("lines", lines, STRATEGIES["lines"], 3, 10),
                supervisor_spec("ops", ops, STRATEGIES["ops"], 3, 10)]
    return await supervisor.start_link(children, STRATEGIES["exchange"], intensity=3, period=10,
                                       name="exchange")
