# Shutdown of children, in reverse start order, as each spec says:
# 'brutal_kill' (exit signal 'kill': it cannot clean up), a timeout in ms
# (exit signal 'shutdown'; a child that has not exited by then is killed,
# and that is reported as shutdown_error), 'infinity' (the supervisor waits
# as long as it takes). A child that died just before being stopped is
# reported with its own reason.
import runtime
from runtime import ANY, supervisor


async def worker(name, cleanup_ms):
    runtime.trap_exit(True)
    runtime.send("main", ("up", name))
    try:
        msg = await runtime.receive(("EXIT", ANY, ANY))
        runtime.send("main", ("asked", name, msg[2]))
        if cleanup_ms is not None:
            await runtime.sleep(cleanup_ms)
            runtime.exit(msg[2])
        await runtime.receive("never")
    finally:
        runtime.send("main", ("gone", name))


async def fragile():
    await runtime.receive()
    raise ValueError("fragile crashed")


def spec(name, shutdown, cleanup_ms=0):
    return {"id": name, "shutdown": shutdown, "start": (runtime.spawn_link, (worker, name, cleanup_ms))}


async def main():
    runtime.register("main", runtime.self_pid())
    specs = [spec("infinity", "infinity", 30), spec("quick", 100, 10), spec("stubborn", 20, None),
             spec("brutal", "brutal_kill")]
    for s in specs:
        print(s["id"], "shutdown", s["shutdown"])
    sup = await supervisor.start_link(specs)
    for s in specs:
        await runtime.receive(("up", ANY))
    runtime.logger.clear()
    runtime.unlink(sup)
    ref = runtime.monitor(sup)
    runtime.exit(sup, "shutdown")
    while True:
        msg = await runtime.receive()
        if msg[0] == "DOWN":
            print("supervisor exited with", msg[4])
            break
        print(msg)
    for level, text in runtime.logger.recent():
        print(level, text[23:])

    # A child that crashed just before terminate_child reached the supervisor.
    runtime.logger.clear()
    sup = await supervisor.start_link([{"id": "fragile", "start": (runtime.spawn_link, (fragile,))}])
    runtime.send((await supervisor.which_children(sup))[0][1], "crash")
    await supervisor.terminate_child(sup, "fragile")
    for level, text in runtime.logger.recent():
        print(level, text.split("\n")[0])

runtime.logger.set_level("none")
print(runtime.run(main))
