# A high-priority ticker keeps running while a normal-priority hog fills the
# heap. With the heap nearly full every allocation costs a collection, and
# a ticker that is always due again would starve the hog for ever; instead
# the hog gets its turns, meets its MemoryError, and the ticker goes on.
ticks = [0]


async def ticker():
    while True:
        await runtime.sleep(10)
        ticks[0] += 1
        ("tick", ticks[0], [ticks[0]])


async def hog():
    chunks = []
    while True:
        chunks.append(bytearray(256))
        await runtime.sleep(0)


async def main():
    runtime.spawn_opt(ticker, priority="high")
    pid, ref = runtime.spawn_monitor(hog)
    reason = kind(await down_of(pid, ref))
    before = ticks[0]
    await runtime.sleep(200)
    return (reason, ticks[0] > before)


probe("ticker_hog", main)
