# A supervisor with a thousand children starts and stops under the default
# slice budget: its own long work yields in chunks (checkpoint), so no slice
# of it is cut as a runaway.
from runtime import supervisor

CHILDREN = 100 if SMALL else 1000  # (netduinoplus2 has the heap for about 150: issue 14)


async def child():
    await runtime.receive()


async def main():
    specs = [{"id": i, "start": (runtime.spawn_link, (child,))} for i in range(CHILDREN)]
    sup = await supervisor.start_link(specs, strategy="one_for_one")
    counts = await supervisor.count_children(sup)
    ref = runtime.monitor(sup)
    runtime.unlink(sup)
    runtime.exit(sup, "shutdown")
    reason = await down_of(sup, ref)
    return (counts["active"] == CHILDREN, reason, len(runtime.processes()))


probe("thousand_children", main)
