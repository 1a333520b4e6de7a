# A child that crashes as soon as it starts, restarted 10,000 times by a
# supervisor whose intensity allows it: crash reports and restarts do not
# pile up anywhere (the logger's ring is bounded in bytes).
from runtime import supervisor

RESTARTS = 2000 if SMALL else 10000
started = [0]


async def crasher():
    started[0] += 1
    raise RuntimeError("crash %d" % started[0])


async def main():
    spec = {"id": "crasher", "start": (runtime.spawn_link, (crasher,))}
    sup = await supervisor.start_link([spec], intensity=RESTARTS * 2, period=3600)
    while started[0] <= RESTARTS:
        await runtime.sleep(10)
    await supervisor.terminate_child(sup, "crasher")
    reports = len(logger.recent())
    runtime.unlink(sup)
    runtime.exit(sup, "shutdown")
    return (started[0] > RESTARTS, reports <= logger.RING_SIZE)


probe("crash_storm", main)
