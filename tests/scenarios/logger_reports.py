# The logger: levels (debug ... critical, and 'none'), console output that
# is compact and the same on every target (a crash report's traceback only
# at 'debug'), supervisor reports (started, terminated with the reason,
# restarted, and the shutdown at max intensity), a bounded ring of recent
# reports whatever the console level, and the primary level, below which a
# report is not made at all ('none': the logger is off).
import runtime
from runtime import ANY, logger, supervisor


async def worker():
    runtime.send("main", "up")
    await runtime.receive()
    raise ValueError("worker failed")


async def main():
    runtime.register("main", runtime.self_pid())
    print("levels:", logger.LEVELS)
    print("default:", logger.set_level("info"))
    sup = await supervisor.start_link([{"id": "w", "start": (runtime.spawn_link, (worker,))}],
                                      intensity=1, name="sup")
    await runtime.receive("up")
    print("set_level returns the previous:", logger.set_level("notice"))
    runtime.trap_exit(True)
    for i in range(2):
        runtime.send((await supervisor.which_children(sup))[0][1], "crash")
        msg = await runtime.receive("up", ("EXIT", sup, ANY))
    print("supervisor exited:", msg[2])
    logger.set_level("none")
    p, ref = runtime.spawn_monitor(worker)
    await runtime.receive("up")
    runtime.send(p, "crash")
    await runtime.receive(("DOWN", ref, ANY, ANY, ANY))
    print("none: nothing printed; in the ring:", logger.recent()[-1][1].split("\n")[0])
    logger.set_level("warning")
    logger.log("notice", "not printed")
    logger.log("critical", "printed")
    for bad in ("loud", None):
        try:
            logger.set_level(bad)
        except ValueError as e:
            print("ValueError:", e)
    for i in range(logger.RING_SIZE + 5):
        logger.log("debug", "report %d" % i)
    ring = logger.recent()
    print("ring:", len(ring), ring[0], ring[-1])
    logger.clear()
    print("cleared:", logger.recent())
    print("primary:", logger.set_primary_level("none"))
    logger.set_level("debug")
    p, ref = runtime.spawn_monitor(worker)
    await runtime.receive("up")
    runtime.send(p, "crash")
    await runtime.receive(("DOWN", ref, ANY, ANY, ANY))
    logger.log("critical", "not made")
    print("primary none, console debug: nothing printed, in the ring:", logger.recent())
    logger.set_level("none")
    logger.set_primary_level("error")
    logger.log("warning", "below the primary level")
    logger.log("error", "kept")
    print("primary error:", logger.recent(), logger.set_primary_level("debug"))
    print(logger.describe(("shutdown", ("failed_to_start_child", "w", ValueError("bad"))),),
          logger.describe(("one",)), logger.describe([1, "a"]))

print(runtime.run(main))
