# erlang's timers: see diff_timers.erl.
from prelude import ANY, TIMEOUT, Ref, out, runtime, take  # test_differential.py puts prelude.py here


async def nothing():
    pass


async def wait_any():
    await runtime.receive()


async def main():
    me = runtime.self_pid()
    dead = runtime.spawn(nothing)
    await runtime.sleep(5)
    t1 = runtime.send_after(100, dead, "hi")
    out("send_after to a dead pid: read", runtime.read_timer(t1))
    out("send_after to a dead pid: cancel", runtime.cancel_timer(t1))
    t2 = runtime.start_timer(100, dead, "hi")
    out("start_timer to a dead pid: read", runtime.read_timer(t2))
    out("start_timer to a dead pid: cancel", runtime.cancel_timer(t2))
    t3 = runtime.start_timer(500, me, "hi")
    r3 = runtime.read_timer(t3)
    out("running: read in (400, 500]", 400 < r3 <= 500)
    c3 = runtime.cancel_timer(t3)
    out("running: cancel in (400, 500]", 400 < c3 <= 500)
    out("cancelled: cancel again", runtime.cancel_timer(t3))
    out("cancelled: read", runtime.read_timer(t3))
    t4 = runtime.start_timer(0, me, "hi")
    m4 = await runtime.receive(("timeout", ANY, ANY))
    out("start_timer message", ("timeout", m4[1] is t4, m4[2]))
    out("fired: cancel", runtime.cancel_timer(t4))
    out("fired: read", runtime.read_timer(t4))
    t5 = runtime.send_after(0, me, "plain")
    out("send_after message", await runtime.receive())
    out("fired send_after: read", runtime.read_timer(t5))
    victim = runtime.spawn(wait_any)
    t6 = runtime.send_after(100, victim, "hi")
    runtime.send(victim, "go")
    await runtime.sleep(5)
    out("target died: read", runtime.read_timer(t6))
    out("target died: cancel", runtime.cancel_timer(t6))
    t7 = runtime.send_after(50, "nobody_here", "hi")
    out("to a name nobody holds: running", type(runtime.read_timer(t7)) is int)
    runtime.cancel_timer(t7)
    out("not a timer: cancel", runtime.cancel_timer(Ref()))
    out("not a timer: read", runtime.read_timer(Ref()))
    for n in (1, 2, 3, 4, 5):
        runtime.send_after(20, me, n)
    out("due together, in order", await take(5))
    runtime.register("late_holder", me)
    runtime.send_after(10, "late_holder", "by_name")
    out("send_after to a name", await runtime.receive())
    runtime.unregister("late_holder")
    runtime.send_after(30, me, "later")
    runtime.send_after(10, me, "sooner")
    out("sooner first", await take(2))
    runtime.send(me, "queued")
    m = await runtime.receive(timeout=0)
    out("receive after 0 takes what is queued", "none" if m is TIMEOUT else m)
    m = await runtime.receive(timeout=0)
    out("receive after 0 with nothing queued", "none" if m is TIMEOUT else m)


runtime.run(main)
