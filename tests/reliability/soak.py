# The soak (test_soak.py): a child that crashes as soon as it starts,
# restarted by its supervisor CYCLES times. Every SAMPLE cycles, the free
# heap after a collection; the first sample is taken once the logger's ring
# is full (it keeps the last reports, up to its byte limit), so that the
# samples show what the cycles themselves leave behind.
import gc

import runtime
from runtime import logger, supervisor

CYCLES = 100000
SAMPLE = 10000
INTENSITY = 10000  # more restarts than a second holds in virtual time
started = [0]


async def crasher():
    started[0] += 1
    raise RuntimeError("crash %d" % started[0])


async def main():
    spec = {"id": "crasher", "start": (runtime.spawn_link, (crasher,))}
    # Up to INTENSITY restarts a second: the supervisor keeps the times of the
    # restarts within its period, no more.
    sup = await supervisor.start_link([spec], intensity=INTENSITY, period=1)
    samples = []
    mark = SAMPLE
    while started[0] < CYCLES:
        await runtime.sleep(20)
        if started[0] >= mark:
            mark += SAMPLE
            gc.collect()
            samples.append(gc.mem_free())
    runtime.unlink(sup)
    runtime.exit(sup, "shutdown")
    return samples


logger.set_level("none")
results = []


async def soak():
    results.append(await main())


runtime.run(soak)
print("SOAK cycles %d samples %s" % (started[0], " ".join(str(n) for n in results[0])))
