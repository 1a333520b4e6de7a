# supervisor: see diff_supervisor.erl.
from prelude import ANY, TIMEOUT, answer, counts, flush, out, pid_of, runtime  # test_differential.py puts prelude.py here
from runtime import supervisor


async def worker_loop():
    m = await runtime.receive(("exit", ANY))
    runtime.exit(m[1])


def worker(child_id):
    return runtime.spawn_link(worker_loop)


def spec(child_id, restart, significant=None):
    s = {"id": child_id, "start": (worker, (child_id,)), "restart": restart}
    if significant is not None:
        s["significant"] = significant
    return s


async def refused(label, specs, **flags):
    try:
        await supervisor.start_link(specs, **flags)
        out(label, "started")
    except (ValueError, TypeError):
        out(label, "refused")
    await flush()


async def stop_child(sup, child_id, reason):
    pid = await pid_of(sup, child_id)
    m = runtime.monitor(pid)
    runtime.send(pid, ("exit", reason))
    await runtime.receive(("DOWN", m, ANY, ANY, ANY))
    await runtime.sleep(10)


async def exited(sup):
    m = await runtime.receive(("EXIT", sup, ANY), timeout=50)
    return "running" if m is TIMEOUT else m[2]


async def pids_abc(sup):
    """The Pids of children a, b and c (MicroPython has no await in a
    comprehension)."""
    got = []
    for i in "abc":
        got.append(await pid_of(sup, i))
    return got


async def restarted(strategy):
    """Whether each of three permanent children a, b, c is a new process
    after b crashes, under `strategy`."""
    sup = await supervisor.start_link([spec(i, "permanent") for i in "abc"], strategy=strategy)
    before = await pids_abc(sup)
    await stop_child(sup, "b", "boom")
    after = await pids_abc(sup)
    return [after[i] is not before[i] for i in range(3)]


async def main():
    runtime.trap_exit(True)
    await refused("auto_shutdown not a known one", [], auto_shutdown="sometimes")
    await refused("significant and permanent", [spec("a", "permanent", True)], auto_shutdown="any_significant")
    await refused("significant not a boolean", [spec("a", "transient", "yes")], auto_shutdown="any_significant")
    await refused("significant under auto_shutdown never", [spec("a", "transient", True)])
    await refused("not significant, permanent, any_significant", [spec("a", "permanent", False)],
                  auto_shutdown="any_significant")
    three = [spec("a", "transient", True), spec("b", "temporary", True), spec("c", "permanent", False)]
    s1 = await supervisor.start_link(three, auto_shutdown="any_significant")
    await stop_child(s1, "a", "normal")
    out("any_significant: a transient one ends normally", await exited(s1))
    s2 = await supervisor.start_link(three, auto_shutdown="all_significant")
    await stop_child(s2, "a", "normal")
    out("all_significant: one of two ends", (await exited(s2), await counts(s2)))
    await stop_child(s2, "b", "boom")
    out("all_significant: the other ends, abnormally", await exited(s2))
    s3 = await supervisor.start_link(three, auto_shutdown="any_significant", intensity=5)
    await stop_child(s3, "a", "crash")
    out("a significant transient one crashes: restarted", (await exited(s3), await counts(s3)))
    await supervisor.terminate_child(s3, "a")
    out("terminate_child of a significant one", (await exited(s3), await counts(s3)))
    try:
        await supervisor.start_child(s3, spec("d", "permanent", True))
        out("start_child: significant and permanent", "ok")
    except ValueError:
        out("start_child: significant and permanent", "error")
    runtime.unlink(s3)
    runtime.exit(s3, "kill")
    s4 = await supervisor.start_link([spec("p", "permanent"), spec("t", "transient"), spec("x", "temporary")],
                                     strategy="one_for_one", intensity=3, period=5)
    await stop_child(s4, "t", "normal")
    await stop_child(s4, "x", "boom")
    out("one_for_one: transient normal and temporary not restarted", await counts(s4))
    p0 = await pid_of(s4, "p")
    await stop_child(s4, "p", "normal")
    out("permanent restarted after a normal exit", await pid_of(s4, "p") is not p0)
    out("which_children", sorted((c[0], type(c[1]) is runtime.Pid, c[2])
                                 for c in await supervisor.which_children(s4)))
    out("restart_child of a running one", await answer(supervisor.restart_child, s4, "p"))
    out("delete_child of a running one", await answer(supervisor.delete_child, s4, "p"))
    out("terminate_child", await answer(supervisor.terminate_child, s4, "p"))
    out("terminate_child of an unknown id", await answer(supervisor.terminate_child, s4, "nobody"))
    out("restart_child", (await answer(supervisor.restart_child, s4, "p"))[0])
    await supervisor.terminate_child(s4, "p")
    out("delete_child", await answer(supervisor.delete_child, s4, "p"))
    out("delete_child again", await answer(supervisor.delete_child, s4, "p"))
    out("start_child", (await answer(supervisor.start_child, s4, spec("n", "permanent")))[0])
    out("start_child of a present id", (await answer(supervisor.start_child, s4, spec("n", "permanent")))[1][0])
    await stop_child(s4, "n", "boom")
    await stop_child(s4, "n", "boom")
    out("intensity 3: three restarts", await exited(s4))
    await stop_child(s4, "n", "boom")
    out("intensity 3: the fourth gives up", await exited(s4))
    out("one_for_all restarts all", await restarted("one_for_all"))
    out("rest_for_one restarts it and those after", await restarted("rest_for_one"))


runtime.logger.set_level("none")
runtime.run(main)
