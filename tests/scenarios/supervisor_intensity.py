# Restart intensity: more than `intensity` restarts within `period`
# seconds and the supervisor stops its children and exits with 'shutdown'
# (reported as reached_max_restart_intensity); restarts further apart than
# the period do not add up; intensity 0 gives up at the first exit. A
# nested supervisor that gives up is restarted by its own supervisor, with
# its children.
import runtime
from runtime import ANY, supervisor


async def worker(name):
    runtime.send("main", ("up", name))
    await runtime.receive()
    raise ValueError(name + " crashed")


async def crash_now():
    raise ValueError("crashes at once")


def spec(name):
    return {"id": name, "start": (runtime.spawn_link, (worker, name))}


async def crash(sup, name):
    for i, pid, kind, modules in await supervisor.which_children(sup):
        if i == name:
            runtime.send(pid, "crash")


async def main():
    runtime.register("main", runtime.self_pid())
    runtime.trap_exit(True)
    sup = await supervisor.start_link([spec("w")], intensity=2, period=5)
    await runtime.receive(("up", "w"))
    for attempt in (1, 2, 3):
        await crash(sup, "w")
        msg = await runtime.receive(("up", "w"), ("EXIT", sup, ANY))
        print("crash", attempt, "->", msg if msg[0] == "up" else ("supervisor exited", msg[2]))

    sup = await supervisor.start_link([spec("w")], intensity=1, period=0.05)
    await runtime.receive(("up", "w"))
    for attempt in (1, 2, 3):
        await crash(sup, "w")
        print("spread crash", attempt, "->", await runtime.receive(("up", "w")))
        await runtime.sleep(60)
    print("still alive:", runtime.process_info(sup) is not None)

    sup = await supervisor.start_link([spec("w")], intensity=0)
    await runtime.receive(("up", "w"))
    await crash(sup, "w")
    print("intensity 0 ->", (await runtime.receive(("EXIT", sup, ANY)))[2])

    sup = await supervisor.start_link([{"id": "boom", "start": (runtime.spawn_link, (crash_now,))}])
    print("a child that crashes at once ->", (await runtime.receive(("EXIT", sup, ANY)))[2])

    runtime.logger.clear()
    inner = {"id": "inner", "type": "supervisor",
             "start": (supervisor.start_link, ([spec("x"), spec("y")], "one_for_one", 1, 5, "inner"))}
    root = await supervisor.start_link([inner, spec("z")], intensity=3, name="root")
    print("started:", [(await runtime.receive(("up", ANY)))[1], (await runtime.receive(("up", ANY)))[1],
                       (await runtime.receive(("up", ANY)))[1]])
    first = runtime.whereis("inner")
    await crash(first, "x")
    await runtime.receive(("up", "x"))
    await crash(first, "y")
    print("inner gave up; root restarted it:", (await runtime.receive(("up", ANY)))[1],
          (await runtime.receive(("up", ANY)))[1], runtime.whereis("inner") not in (None, first))
    print("z untouched:", await runtime.receive(("up", "z"), timeout=0))
    for level, text in runtime.logger.recent():
        if text.startswith("=SUPERVISOR") and level != "info":
            print(level, text[23:])

runtime.logger.set_level("none")
print(runtime.run(main))
