# erlang's processes: see diff_processes.erl.
from prelude import ANY, TIMEOUT, forever, nothing, out, runtime  # test_differential.py puts prelude.py here
from runtime import node


async def waiter():
    m = await runtime.receive()
    if type(m) is tuple and m[0] == "exit":
        runtime.exit(m[1])


async def trapper():
    runtime.trap_exit(True)
    runtime.exit(("got", await runtime.receive()))


async def exiter():
    runtime.exit("why")


async def registers(name):
    runtime.register(name, runtime.self_pid())
    await runtime.receive("never")


async def link_dead(dead):
    runtime.link(dead)


async def main():
    me = runtime.self_pid()
    runtime.trap_exit(True)
    dead = runtime.spawn(nothing)
    await runtime.sleep(5)
    runtime.link(dead)
    m = await runtime.receive(("EXIT", ANY, ANY))
    out("link to the dead, trapping", ("EXIT", m[1] is dead, m[2]))
    p2 = runtime.spawn_link(waiter)
    runtime.send(p2, ("exit", "boom"))
    out("linked exits abnormally", (await runtime.receive(("EXIT", p2, ANY)))[2])
    p3 = runtime.spawn_link(waiter)
    runtime.send(p3, "stop")
    out("linked exits normally", (await runtime.receive(("EXIT", p3, ANY)))[2])
    p4 = runtime.spawn_link(waiter)
    runtime.exit(p4, "normal")
    m = await runtime.receive(("EXIT", p4, ANY), timeout=20)
    out("exit normal to a non-trapping process: alive",
        m is TIMEOUT and runtime.process_info(p4) is not None)
    runtime.exit(p4, "kill")
    out("killed", (await runtime.receive(("EXIT", p4, ANY)))[2])
    p5 = runtime.spawn_link(trapper)
    await runtime.sleep(5)
    runtime.exit(p5, "kill")
    out("kill cannot be trapped", (await runtime.receive(("EXIT", p5, ANY)))[2])
    p6 = runtime.spawn_link(trapper)
    await runtime.sleep(5)
    runtime.exit(p6, "shutdown")
    out("a trapped exit signal arrives as a message", (await runtime.receive(("EXIT", p6, ANY)))[2])
    p7, m7 = runtime.spawn_monitor(exiter)
    d = await runtime.receive(("DOWN", m7, "process", ANY, ANY))
    out("spawn_monitor DOWN", (d[3] is p7, d[4]))
    m8 = runtime.monitor(dead)
    d = await runtime.receive(("DOWN", m8, "process", ANY, ANY))
    out("monitor of the dead", (d[3] is dead, d[4]))
    m9 = runtime.monitor("nobody")
    d = await runtime.receive(("DOWN", m9, ANY, ANY, ANY))
    out("monitor of a name nobody holds", d[2:])
    p10 = runtime.spawn(waiter)
    runtime.register("holder", p10)
    m10 = runtime.monitor("holder")
    runtime.send(p10, ("exit", "bye"))
    d = await runtime.receive(("DOWN", m10, ANY, ANY, ANY))
    out("monitor by name", d[2:])
    out("the name is free once it exits", runtime.whereis("holder"))
    p11 = runtime.spawn(waiter)
    runtime.register("holder2", p11)
    m11 = runtime.monitor(("holder2", node.name()))
    runtime.exit(p11, "kill")
    d = await runtime.receive(("DOWN", m11, ANY, ANY, ANY))
    out("monitor by {name, node}", d[3:])
    p12 = runtime.spawn(waiter)
    m12 = runtime.monitor(p12)
    runtime.send(p12, ("exit", "gone"))
    await runtime.sleep(5)
    flushed = runtime.demonitor(m12, flush=True)
    d = await runtime.receive(("DOWN", m12, ANY, ANY, ANY), timeout=0)
    out("demonitor with flush", (flushed, "none" if d is TIMEOUT else "queued"))
    p13 = runtime.spawn(waiter)
    m13 = runtime.monitor(p13)
    runtime.send(p13, ("exit", "gone"))
    await runtime.sleep(5)
    runtime.demonitor(m13)
    d = await runtime.receive(("DOWN", m13, ANY, ANY, ANY), timeout=0)
    out("demonitor leaves a queued DOWN", "none" if d is TIMEOUT else d[4])
    p14 = runtime.spawn(waiter)
    runtime.register("named", p14)
    out("whereis", runtime.whereis("named") is p14)
    try:
        runtime.register("named", me)
        out("register a taken name", "ok")
    except ValueError:
        out("register a taken name", "badarg")
    out("registered has it", "named" in runtime.registered())
    runtime.unregister("named")
    out("whereis after unregister", runtime.whereis("named"))
    try:
        runtime.unregister("named")
        out("unregister again", "ok")
    except ValueError:
        out("unregister again", "badarg")
    try:
        runtime.send("nobody", "hi")
        out("send to a name nobody holds", "ok")
    except ValueError:
        out("send to a name nobody holds", "badarg")
    runtime.send(dead, "hi")
    out("send to the dead", "hi")  # (erlang's ! returns the message)
    runtime.exit(p14, "kill")
    p15 = runtime.spawn_link(forever)
    runtime.unlink(p15)
    runtime.exit(p15, "kill")
    m = await runtime.receive(("EXIT", p15, ANY), timeout=20)
    out("after unlink no EXIT", "none" if m is TIMEOUT else "exit")
    p17 = runtime.spawn_link(registers, "info_me")
    await runtime.sleep(5)
    for n in (1, 2, 3):
        runtime.send(p17, ("msg", n))
    await runtime.sleep(5)
    info = runtime.process_info(p17)
    out("process_info", (info["message_queue_len"], info["links"] == [me], info["registered_name"],
                         info["status"], info["trap_exit"]))
    runtime.monitor("info_me")
    runtime.monitor(p17)
    out("monitors, by name and by pid", runtime.process_info(me)["monitors"])
    runtime.exit(p17, "kill")
    await runtime.receive(("EXIT", p17, ANY))
    out("process_info of the dead", runtime.process_info(p17))
    out("is_process_alive", (runtime.process_info(p17) is not None, runtime.process_info(me) is not None))
    runtime.trap_exit(False)
    p16, m16 = runtime.spawn_monitor(link_dead, dead)
    d = await runtime.receive(("DOWN", m16, ANY, ANY, ANY))
    out("non-trapping link to the dead", (p16 is not me, d[4]))


runtime.logger.set_level("none")
runtime.run(main)
