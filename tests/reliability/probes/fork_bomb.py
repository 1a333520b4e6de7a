# Every process spawns two more, for ever: spawn fails with SystemLimit at
# the process limit, well before the heap is full, and the system goes on
# (the bombs that meet the limit die of it, and their slots go to others).
async def bomb():
    runtime.spawn(bomb)
    runtime.spawn(bomb)
    await runtime.receive()


async def idle():
    await runtime.receive()


async def main():
    runtime.spawn(bomb)
    await runtime.sleep(2000)
    limit = runtime.limits()["max_processes"]
    try:
        for _ in range(limit + 1):  # in one slice: no bomb runs meanwhile
            runtime.spawn(idle)
        return "no limit"
    except runtime.SystemLimit:
        return ("at the limit", True)


probe("fork_bomb", main)
