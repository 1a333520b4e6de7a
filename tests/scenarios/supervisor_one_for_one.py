# one_for_one and the restart types: a permanent child is always
# restarted; a transient one only after an abnormal exit (not 'normal',
# 'shutdown' or ('shutdown', term)); a temporary one never, and its spec is
# dropped. Only the child that exited is restarted. Supervisor reports:
# child_terminated for what was restarted or abnormal, child_restarted.
import runtime
from runtime import ANY, supervisor


async def worker(name):
    runtime.send("main", ("up", name))
    reason = await runtime.receive()
    if reason == "raise":
        raise ValueError(name + " failed")
    runtime.exit(reason)


def spec(name, restart):
    return {"id": name, "start": (runtime.spawn_link, (worker, name)), "restart": restart}


async def children(sup):
    return [(i, "running" if type(pid) is runtime.Pid else pid)
            for i, pid, kind, modules in await supervisor.which_children(sup)]


async def stop(sup, name, reason):
    """Make child `name` exit with `reason`; say whether it came back."""
    pids = {i: pid for i, pid, kind, modules in await supervisor.which_children(sup)}
    ref = runtime.monitor(pids[name])
    runtime.send(pids[name], reason)
    await runtime.receive(("DOWN", ref, ANY, ANY, ANY))
    after = {i: pid for i, pid, kind, modules in await supervisor.which_children(sup)}
    if name not in after:
        print(name, "exits with", reason, "-> removed")
    elif after[name] is None:
        print(name, "exits with", reason, "-> not restarted")
    else:
        print(name, "exits with", reason, "->", await runtime.receive(("up", name)),
              "new pid:", after[name] is not pids[name])
    unchanged = [i for i in sorted(pids) if i != name and i in after and after[i] is pids[i]]
    print("  others unchanged:", unchanged)


async def main():
    runtime.register("main", runtime.self_pid())
    specs = [spec("perm", "permanent"), spec("trans", "transient"),
             spec("temp1", "temporary"), spec("temp2", "temporary")]
    sup = await supervisor.start_link(specs, intensity=10, name="sup")
    for name in ("perm", "trans", "temp1", "temp2"):
        print(await runtime.receive(("up", ANY)))
    print(await children(sup))
    for reason in ("normal", "raise"):
        await stop(sup, "perm", reason)
    for reason in ("shutdown", ("shutdown", "x"), "normal", "boom"):
        await stop(sup, "trans", reason)
        if reason != "boom":
            await supervisor.restart_child(sup, "trans")
            await runtime.receive(("up", "trans"))
    await stop(sup, "temp1", "boom")
    await stop(sup, "temp2", "normal")
    print(await children(sup))
    for level, text in runtime.logger.recent():
        if text.startswith("=SUPERVISOR"):
            print(level, text[23:])

runtime.logger.set_level("none")
print(runtime.run(main))
