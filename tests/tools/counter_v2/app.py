"""examples/counter, version 2 (make deploy's test, tests/tools/test_deploy.py):
its state becomes a dict that remembers the count at the upgrade, and it
answers 'version'. Its clients see no difference: 'next' goes on counting.
"""
from runtime import gen_server, supervisor

vsn = 2


class Counter(gen_server.GenServer):
    def init(self, start):
        return {"count": start, "since": None}

    def handle_call(self, request, from_, state):
        if request == "next":
            count = state["count"] + 1
            return ("reply", count, {"count": count, "since": state["since"]})
        if request == "version":
            return ("reply", (vsn, state["since"]), state)
        return ("reply", state["count"], state)

    def handle_cast(self, request, state):
        if request == "crash":
            raise RuntimeError("asked to crash")
        return ("noreply", state)

    def code_change(self, old_vsn, count, extra):
        return {"count": count, "since": count}


async def start():
    counter = {"id": "counter", "start": (gen_server.start_link, (Counter, 0, "counter"))}
    return await supervisor.start_link([counter], strategy="one_for_one", name="root")
