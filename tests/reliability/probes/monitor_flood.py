# A process monitors one target until the heap is full: it dies of
# MemoryError and its monitors end with it; the target lives on.
async def target():
    await runtime.receive()


async def watcher(pid):
    refs = []
    while True:
        refs.append(runtime.monitor(pid))
        await runtime.checkpoint()


async def main():
    t = runtime.spawn(target)
    pid, ref = runtime.spawn_monitor(watcher, t)
    reason = kind(await down_of(pid, ref))
    alive = runtime.process_info(t)
    runtime.exit(t, "kill")
    return (reason, alive is not None and alive["monitored_by"] == [])


probe("monitor_flood", main)
