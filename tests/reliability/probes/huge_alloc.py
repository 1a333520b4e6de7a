# Allocations larger than the heap fail in the process that asks, alone.
async def bytes_hog():
    bytearray(1 << 30)


async def list_hog():
    return [0] * (1 << 28)


async def main():
    reasons = []
    for hog in (bytes_hog, list_hog):
        pid, ref = runtime.spawn_monitor(hog)
        reasons.append(kind(await down_of(pid, ref)))
    return tuple(reasons)


probe("huge_alloc", main)
