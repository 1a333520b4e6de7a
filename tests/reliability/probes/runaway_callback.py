# A gen_server whose handle_call loops for ever is cut as a runaway; its
# caller gets the reason, its supervisor restarts it, it serves again.
from runtime import gen_server, supervisor


class Looper(gen_server.GenServer):
    def handle_call(self, request, from_, state):
        while request == "loop":
            pass
        return ("reply", "served", state)


async def main():
    spec = {"id": "looper", "start": (gen_server.start_link, (Looper, None, "looper"))}
    sup = await supervisor.start_link([spec])
    try:
        await gen_server.call("looper", "loop")
        first = "answered"
    except gen_server.CallExit as e:
        first = e.reason[0]
    await runtime.sleep(10)
    second = await gen_server.call("looper", "hello")
    runtime.unlink(sup)
    runtime.exit(sup, "shutdown")
    return (first, second)


probe("runaway_callback", main)
