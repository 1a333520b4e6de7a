# A process sets timers to itself until the heap is full: it dies of
# MemoryError, and its timers, with their messages, go with it.
async def setter():
    n = 0
    while True:
        runtime.send_after(600000, runtime.self_pid(), ("tick", n))
        n += 1
        await runtime.checkpoint()


async def main():
    pid, ref = runtime.spawn_monitor(setter)
    return kind(await down_of(pid, ref))


probe("timer_flood", main)
