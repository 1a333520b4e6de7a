# A process that keeps growing a list (a good citizen otherwise: it yields
# at checkpoints) until the heap is full dies of MemoryError, alone.
async def grower():
    chunks = []
    while True:
        chunks.append(bytearray(512))
        await runtime.checkpoint()


async def bystander():
    while True:
        await runtime.sleep(5)


async def main():
    other = runtime.spawn(bystander)
    pid, ref = runtime.spawn_monitor(grower)
    reason = kind(await down_of(pid, ref))
    return (reason, runtime.process_info(other) is not None)


probe("growing_list", main)
