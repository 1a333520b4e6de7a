# Edges of erlang's processes: see diff_edges.erl.
from prelude import ANY, TIMEOUT, forever, nothing, out, runtime, take  # test_differential.py puts prelude.py here


async def exits_itself(parent):
    runtime.exit(runtime.self_pid(), "normal")
    runtime.send(parent, "survived")


async def traps_normal():
    runtime.trap_exit(True)
    await runtime.receive(("EXIT", ANY, "normal"))
    runtime.exit("got_normal")


async def main():
    me = runtime.self_pid()
    p = runtime.spawn(exits_itself, me)
    await runtime.sleep(20)
    m = await runtime.receive("survived", timeout=0)
    out("exit(self(), normal) ends the caller",
        (runtime.process_info(p) is not None, "none" if m is TIMEOUT else m))
    ref = runtime.monitor(me)
    m = await runtime.receive(timeout=10)
    out("a monitor of oneself never fires", "none" if m is TIMEOUT else m)
    out("demonitor of it", runtime.demonitor(ref))
    d = runtime.spawn(nothing)
    await runtime.sleep(5)
    m2 = runtime.monitor(d)
    await runtime.receive(("DOWN", m2, ANY, ANY, ANY))
    out("demonitor after its DOWN", runtime.demonitor(m2, flush=True))
    try:
        runtime.register("deadname", d)
        out("register the dead", "ok")
    except ValueError:
        out("register the dead", "badarg")
    linked = runtime.spawn_link(nothing)
    await runtime.sleep(5)
    out("a linked process ending normally leaves us",
        (runtime.process_info(linked) is not None, runtime.process_info(me) is not None))
    for n in (1, ("b", 2), 3, ("b", 4), 5):
        runtime.send(me, n)
    b1 = (await runtime.receive(("b", ANY)))[1]
    b2 = (await runtime.receive(("b", ANY)))[1]
    out("selective receive keeps the others in order", (b1, b2, await take(3)))
    runtime.send(me, "a")
    runtime.send(me, "b")
    m = await runtime.receive("c", timeout=10)
    out("receive with a pattern that nothing matches", "timeout" if m is TIMEOUT else m)
    out("still queued", await take(2))
    runtime.send_after(30, me, "late")
    m = await runtime.receive("late", timeout=10)
    out("a receive timeout before the message", "timeout" if m is TIMEOUT else m)
    m = await runtime.receive("late", timeout=100)
    out("then the message", "timeout" if m is TIMEOUT else m)
    pid, ref = runtime.spawn_monitor(forever)
    runtime.exit(pid, "some_reason")
    out("exit signal with a reason to a non-trapping process",
        (await runtime.receive(("DOWN", ref, ANY, ANY, ANY)))[4])
    pid2, ref2 = runtime.spawn_monitor(traps_normal)
    await runtime.sleep(5)
    runtime.exit(pid2, "normal")
    out("a trapping process gets exit normal as a message",
        (await runtime.receive(("DOWN", ref2, ANY, ANY, ANY)))[4])


runtime.logger.set_level("none")
runtime.run(main)
