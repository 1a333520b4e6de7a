# Unbounded recursion in a process, and in a server's callback: each ends
# with the recursion error, alone; the C stack is never overrun.
from runtime import gen_server


def down(n):
    return down(n + 1) + 1


async def recurse():
    down(0)


class Deep(gen_server.GenServer):
    def handle_call(self, request, from_, state):
        return ("reply", down(0), state)


async def main():
    pid, ref = runtime.spawn_monitor(recurse)
    first = kind(await down_of(pid, ref))
    server = await gen_server.start(Deep, None)
    try:
        await gen_server.call(server, "deep")
        second = "answered"
    except gen_server.CallExit as e:
        second = kind(e.reason[0])
    return (first, second)


probe("deep_recursion", main)
