"""The smallest application: a counter server under a supervisor.

    make console APP=examples/counter
    >>> from runtime import evaluate, gen_server
    >>> evaluate(gen_server.call, "counter", "next")
    1
    >>> gen_server.cast("counter", "crash")     # it dies; its supervisor restarts it
    >>> evaluate(gen_server.call, "counter", "next")
    1
"""
from runtime import gen_server, supervisor


class Counter(gen_server.GenServer):
    def init(self, start):
        return start

    def handle_call(self, request, from_, count):
        if request == "next":
            return ("reply", count + 1, count + 1)
        return ("reply", count, count)

    def handle_cast(self, request, count):
        if request == "crash":
            raise RuntimeError("asked to crash")
        return ("noreply", count)


async def start():
    counter = {"id": "counter", "start": (gen_server.start_link, (Counter, 0, "counter"))}
    return await supervisor.start_link([counter], strategy="one_for_one", name="root")
