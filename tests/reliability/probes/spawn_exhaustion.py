# With no process limit, spawning idle processes until the heap is full:
# spawn raises MemoryError in the spawner, and run() then ends the thousands
# of processes left, in a heap with no room to speak of.
async def idle():
    await runtime.receive()


async def main():
    runtime.set_limits(max_processes=1 << 24)
    # Made now: once spawn has met the full heap, so may the spawner's own
    # next allocation, until the memory policy acts.
    many, few = ("MemoryError after", True), ("MemoryError after", False)
    count = 0
    try:
        while True:
            runtime.spawn(idle)
            count += 1
            if count % 32 == 0:
                await runtime.sleep(0)
    except MemoryError:
        pass
    return many if count > 100 else few


probe("spawn_exhaustion", main)
