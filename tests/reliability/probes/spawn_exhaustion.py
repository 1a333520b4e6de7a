# With no process limit, spawning idle processes until the heap is full:
# spawn raises MemoryError in the spawner, and run() then ends the thousands
# of processes left, in a heap with no room to speak of.
async def idle():
    await runtime.receive()


async def main():
    runtime.set_limits(max_processes=1 << 24)
    count = 0
    try:
        while True:
            runtime.spawn(idle)
            count += 1
            if count % 32 == 0:
                await runtime.sleep(0)
    except MemoryError:
        pass
    return ("MemoryError after", count > 100)


probe("spawn_exhaustion", main)
