"""Charging: the log of completed calls. A gen_server registered as
'charging' that keeps totals and the last few records.

Its known flaw, kept for the fault demo: a report over a range it should
refuse builds a row per millisecond and exhausts the heap. The MemoryError
ends this server only; its supervisor restarts it.
"""
from runtime import gen_server

KEEP = 8  # records kept for inspection at the REPL


class Charging(gen_server.GenServer):
    def init(self, arg):
        return {"calls": 0, "ms": 0, "recent": []}

    def handle_cast(self, msg, log):
        if msg[0] == "record":
            log["calls"] += 1
            log["ms"] += msg[3]
            recent = log["recent"]
            recent.append(msg[1:])
            if len(recent) > KEEP:
                recent.pop(0)
        return ("noreply", log)

    def handle_call(self, request, from_, log):
        if request[0] == "totals":
            return ("reply", (log["calls"], log["ms"]), log)
        if request[0] == "report":
            rows = [(ms, log["calls"]) for ms in range(request[1])]
            return ("reply", len(rows), log)
        return ("reply", ("error", "unknown request"), log)


async def start_link():
    return await gen_server.start_link(Charging, None, name="charging")


def record(caller, callee, ms):
    gen_server.cast("charging", ("record", caller, callee, ms))
