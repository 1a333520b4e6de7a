# one_for_all and rest_for_one: when b crashes, one_for_all stops the
# others (in reverse start order) and restarts all in start order;
# rest_for_one stops and restarts only those started after b. A temporary
# child that one_for_all stopped is not restarted.
import runtime
from runtime import ANY, supervisor


async def worker(name):
    runtime.trap_exit(True)
    runtime.send("main", ("up", name))
    msg = await runtime.receive()
    if msg[0] == "EXIT":
        runtime.send("main", ("stopped", name, msg[2]))
        runtime.exit(msg[2])
    raise ValueError(name + " crashed")


def spec(name, restart="permanent"):
    return {"id": name, "start": (runtime.spawn_link, (worker, name)), "restart": restart}


async def collect(tag, n):
    names = []
    for i in range(n):
        names.append((await runtime.receive((tag, ANY)) if tag == "up" else
                      await runtime.receive((tag, ANY, ANY)))[1])
    return names


async def main():
    runtime.register("main", runtime.self_pid())
    for strategy in ("one_for_all", "rest_for_one"):
        specs = [spec("a"), spec("b"), spec("c"), spec("d", "temporary" if strategy == "one_for_all" else "permanent")]
        sup = await supervisor.start_link(specs, strategy, intensity=5)
        print(strategy, "started:", await collect("up", len(specs)))
        before = {i: pid for i, pid, kind, modules in await supervisor.which_children(sup)}
        runtime.send(before["b"], "crash")
        events = []
        for i in range(6 if strategy == "one_for_all" else 5):
            msg = await runtime.receive()
            events.append(msg[:2] if msg[0] == "up" else msg)
        print(" ", events)
        after = await supervisor.which_children(sup)
        print("  new pids:", [i for i, pid, kind, modules in after if pid is not before[i]])
        print("  children:", [i for i, pid, kind, modules in after])
        runtime.unlink(sup)
        runtime.exit(sup, "shutdown")
        print("  at shutdown:", await collect("stopped", len(after)))

runtime.logger.set_level("none")
print(runtime.run(main))
