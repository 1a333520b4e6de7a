# A process floods another, which never receives, with small messages: the
# receiver is killed at its mailbox limit, not the runtime at the heap's.
async def sink():
    await runtime.receive("never")


async def main():
    pid, ref = runtime.spawn_monitor(sink)
    i = 0
    while True:
        info = runtime.process_info(pid)
        if info is None or info["status"] == "exiting":
            break
        for _ in range(64):
            runtime.send(pid, ("flood", i))
            i += 1
        await runtime.checkpoint()
    return await down_of(pid, ref)


probe("mailbox_flood", main)
