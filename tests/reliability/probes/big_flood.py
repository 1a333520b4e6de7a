# A flood of small messages into a process with no mailbox limit to speak of
# fills the heap: the sender meets MemoryError, and the receiver, which holds
# the heap in its mailbox, is ended by the out-of-memory policy.
async def sink():
    await runtime.receive("never")


async def flooder(sink_pid):
    i = 0
    while True:
        runtime.send(sink_pid, (i,))
        i += 1
        if i % 64 == 0:
            await runtime.checkpoint()


async def main():
    pid, sink_ref = runtime.spawn_opt(sink, monitor=True, max_queue=1 << 24)
    flood_pid, flood_ref = runtime.spawn_monitor(flooder, pid)
    return (kind(await down_of(flood_pid, flood_ref)), kind(await down_of(pid, sink_ref)))


probe("big_flood", main)
