"""The traffic generator: a process that places a call every CALL_INTERVAL
ms, from a line to another, both drawn by a deterministic generator."""
import runtime

from exchange import line, stats
from exchange.config import CALL_INTERVAL, LINES
from exchange.prng import Prng


async def generate():
    prng = Prng()
    attempt = 0
    while True:
        await runtime.sleep(CALL_INTERVAL)
        i = prng.below(len(LINES))
        caller = LINES[i]
        callee = LINES[(i + 1 + prng.below(len(LINES) - 1)) % len(LINES)]
        attempt += 1
        stats.attempt(attempt)
        try:
            runtime.send(line.name(caller), ("dial", callee, attempt))
        except ValueError:
            stats.outcome(attempt, "lost")  # the caller's line is down


def child_spec():
    return {"id": "traffic", "start": (runtime.spawn_link, (generate,)), "shutdown": "brutal_kill"}
