# A hub linked to many workers dies: all of them die with it. A long chain of
# linked processes is cut at one end: the exit runs down the whole chain.
N = 100 if SMALL else 1000


async def worker():
    await runtime.receive()


async def hub(n, boss):
    for _ in range(n):
        runtime.spawn_link(worker)
        await runtime.checkpoint()
    runtime.send(boss, "ready")
    await runtime.receive()


async def link(n):
    if n:
        runtime.spawn_link(link, n - 1)
    await runtime.receive()


async def main():
    h = runtime.spawn(hub, N, runtime.self_pid())
    await runtime.receive("ready")
    runtime.exit(h, "storm")
    await runtime.sleep(500)
    after_hub = len(runtime.processes())
    head = runtime.spawn(link, N)
    await runtime.sleep(500)
    chain = len(runtime.processes()) - 1
    runtime.exit(head, "storm")
    await runtime.sleep(500)
    return (after_hub, chain, len(runtime.processes()))


probe("link_storm", main)
