# A supervisor asked to start gen_servers until the heap is full: the start
# that finds no room fails with MemoryError as its reason (start_child
# raises Error), and the supervisor lives on with every child it had.
from runtime import gen_server, supervisor


class Idle(gen_server.GenServer):
    def init(self, arg):
        return arg


async def main():
    runtime.set_limits(max_processes=1 << 24)  # the heap is the limit here
    sup = await supervisor.start_link([], strategy="one_for_one")
    ref = runtime.monitor(sup)
    runtime.unlink(sup)
    room = [bytearray(8192)]  # held while the heap fills, so that the end is cut up
    started = 0
    try:
        while True:
            await supervisor.start_child(sup, {"id": started,
                                               "start": (gen_server.start_link, (Idle, 0))})
            started += 1
    except supervisor.Error as e:
        failed = e.reason
    room.clear()  # room for the questions below; the first children go too
    for i in range(4):
        await supervisor.terminate_child(sup, i)
        await supervisor.delete_child(sup, i)
    counts = await supervisor.count_children(sup)
    runtime.exit(sup, "shutdown")
    reason = await down_of(sup, ref)
    return (kind(failed), counts["active"] == started - 4, reason)


probe("supervisor_exhaustion", main)
