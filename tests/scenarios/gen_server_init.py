# gen_server start: init may raise, return ('stop', reason) or ('ignore',)
# or a wrong shape; start_link then raises Error (or returns None for
# ignore) and the caller, linked or not, is not killed: the server unlinks
# before it exits, so no EXIT reaches a trapping caller either, and its
# name is free again. A taken name gives ('already_started', pid); start
# needs a GenServer subclass. Async callbacks are awaited.
import runtime
from runtime import gen_server


class Picky(gen_server.GenServer):
    def init(self, arg):
        if arg == "raise":
            raise ValueError("no such config")
        if arg == "stop":
            return ("stop", "not_today")
        if arg == "ignore":
            return ("ignore",)
        if arg == "wrong":
            return ("stop", 1, 2)
        if arg == "exit":
            runtime.exit("from_init")
        return arg

    def handle_call(self, request, from_, state):
        return ("reply", state, state)


class Slow(gen_server.GenServer):
    async def init(self, arg):
        await runtime.sleep(5)
        return arg * 2

    async def handle_call(self, request, from_, state):
        await runtime.sleep(1)
        return ("reply", state + request, state)


async def main():
    for trap in (False, True):
        runtime.trap_exit(trap)
        for arg in ("raise", "stop", "ignore", "wrong", "exit"):
            try:
                print(trap, arg, "->", await gen_server.start_link(Picky, arg, name="picky"))
            except gen_server.Error as e:
                print(trap, arg, "-> Error:", e)
            print("  name free:", runtime.whereis("picky") is None,
                  "queue:", runtime.process_info(runtime.self_pid())["message_queue_len"])
    pid = await gen_server.start_link(Picky, "fine", name="picky")
    try:
        await gen_server.start(Picky, "again", name="picky")
    except gen_server.Error as e:
        print("name taken ->", e.reason[0], e.reason[1] is pid)
    for cls in (object, "Picky", Picky()):
        try:
            await gen_server.start(cls, 1)
        except TypeError as e:
            print("TypeError:", str(e).split(", got")[0])
    slow = await gen_server.start_link(Slow, 20)
    print("async callbacks:", await gen_server.call(slow, 1))
    print("alive:", len(runtime.processes()))

runtime.logger.set_level("none")
print(runtime.run(main))
