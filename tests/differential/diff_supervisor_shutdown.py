# supervisor: start and stop orders, shutdowns, simple_one_for_one; see
# diff_supervisor_shutdown.erl.
from prelude import ANY, TIMEOUT, answer, counts, out, pid_of, runtime  # test_differential.py puts prelude.py here
from runtime import supervisor


async def worker_loop(log, child_id):
    runtime.trap_exit(True)
    runtime.send(log, ("started", child_id))
    m = await runtime.receive(("EXIT", ANY, "shutdown"), ("crash", ANY))
    if m[0] == "EXIT":
        runtime.send(log, ("stopped", child_id))
    else:
        runtime.exit(m[1])


def worker(log, child_id):
    return runtime.spawn_link(worker_loop, log, child_id)


async def stubborn_loop(log):
    runtime.trap_exit(True)
    runtime.send(log, ("started", "stubborn"))
    while True:
        await runtime.receive()


def stubborn(log):
    return runtime.spawn_link(stubborn_loop, log)


def spec(log, child_id):
    return {"id": child_id, "start": (worker, (log, child_id))}


async def log():
    got = []
    while True:
        m = await runtime.receive(("started", ANY), ("stopped", ANY), timeout=20)
        if m is TIMEOUT:
            return got
        got.append(m)


async def down(ref):
    return (await runtime.receive(("DOWN", ref, ANY, ANY, ANY)))[4]


async def main():
    runtime.trap_exit(True)
    me = runtime.self_pid()
    s1 = await supervisor.start_link([spec(me, "a"), spec(me, "b"), spec(me, "c")])
    out("start order", await log())
    runtime.unlink(s1)
    m1 = runtime.monitor(s1)
    runtime.exit(s1, "shutdown")
    out("supervisor shut down", await down(m1))
    out("stop order", await log())
    s2 = await supervisor.start_link([spec(me, "a"), spec(me, "b"), spec(me, "c")], strategy="one_for_all")
    await log()
    runtime.send(await pid_of(s2, "b"), ("crash", "boom"))
    out("one_for_all restart", await log())
    s3 = await supervisor.start_link([spec(me, "a"), spec(me, "b"), spec(me, "c")], strategy="rest_for_one")
    await log()
    runtime.send(await pid_of(s3, "b"), ("crash", "boom"))
    out("rest_for_one restart", await log())
    s4 = await supervisor.start_link([
        {"id": "stubborn", "start": (stubborn, (me,)), "shutdown": 30},
        {"id": "brutal", "start": (stubborn, (me,)), "shutdown": "brutal_kill"}])
    await log()
    mp = runtime.monitor(await pid_of(s4, "stubborn"))
    await supervisor.terminate_child(s4, "stubborn")
    out("shutdown by timeout: killed", await down(mp))
    mb = runtime.monitor(await pid_of(s4, "brutal"))
    await supervisor.terminate_child(s4, "brutal")
    out("brutal_kill", await down(mb))
    s5 = await supervisor.start_link([{"id": "t", "start": (worker, (me,)), "restart": "transient"}],
                                     strategy="simple_one_for_one")
    c1 = await supervisor.start_child(s5, ["one"])
    c2 = await supervisor.start_child(s5, ["two"])
    counted = await counts(s5)
    out("simple_one_for_one children", (await log(), counted))
    runtime.send(c1, ("crash", "boom"))
    out("restarted with the same args", await log())
    out("which_children ids", [c[0] for c in await supervisor.which_children(s5)])
    out("terminate_child by pid", (await answer(supervisor.terminate_child, s5, c2), await log()))
    out("restart_child", await answer(supervisor.restart_child, s5, "one"))
    out("delete_child", await answer(supervisor.delete_child, s5, "one"))
    out("terminate_child of a stranger", await answer(supervisor.terminate_child, s5, me))


runtime.logger.set_level("none")
runtime.run(main)
