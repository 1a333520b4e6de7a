# Links: a partner exiting 'normal' leaves you alone; any other reason takes
# you down with it (finally blocks still run); the link is two-way.
import runtime

runtime.logger.set_level("none")  # crashes are expected; their reports are not the subject


async def partner(reason):
    msg = await runtime.receive()
    if msg == "go":
        runtime.exit(reason)


async def linked(reason, tag):
    p = runtime.spawn_link(partner, reason)
    try:
        runtime.send(p, "go")
        await runtime.receive(timeout=200)
        print(tag, "still alive after partner exited", reason)
    finally:
        print(tag, "finally ran")


async def main():
    for reason in ("normal", "boom", ("shutdown", 1)):
        pid, ref = runtime.spawn_monitor(linked, reason, "linked(%r):" % (reason,))
        msg = await runtime.receive(("DOWN", ref, "process", pid, runtime.ANY))
        print("linked process exited with", msg[4])

    # Two-way: the spawner dies, the spawned one follows.
    async def child():
        await runtime.receive()

    async def parent(out):
        c = runtime.spawn_link(child)
        runtime.send(out, c)
        await runtime.receive()

    parent_pid = runtime.spawn(parent, runtime.self_pid())
    c = await runtime.receive()
    ref = runtime.monitor(c)
    runtime.exit(parent_pid, "crash")
    msg = await runtime.receive(("DOWN", ref, "process", c, runtime.ANY))
    print("child of killed parent exited with", msg[4])

    # unlink: afterwards the partner's exit no longer reaches us.
    async def unlinker(out):
        p = runtime.spawn_link(partner, "boom")
        runtime.unlink(p)
        runtime.send(p, "go")
        await runtime.sleep(20)
        runtime.send(out, "unlinked process survived")

    runtime.spawn(unlinker, runtime.self_pid())
    print(await runtime.receive(timeout=1000))

    # One link, then several, then none again (a process holds its one
    # link as the Pid itself, more in a list: links.py).
    async def waiter():
        await runtime.receive()

    me = runtime.self_pid()
    a, b = runtime.spawn(waiter), runtime.spawn(waiter)

    def links():
        return runtime.process_info(me)["links"]

    runtime.link(a)
    print("one link:", links() == [a])
    runtime.link(b)
    runtime.link(a)
    print("two links, none twice:", links() == sorted([a, b]))
    runtime.unlink(a)
    print("one left:", links() == [b])
    runtime.unlink(a)
    runtime.unlink(b)
    print("none:", links())

    # A process with two links exits: both hear of it.
    async def trapper(out):
        runtime.trap_exit(True)
        msg = await runtime.receive(("EXIT", runtime.ANY, runtime.ANY))
        runtime.send(out, ("heard", str(msg[2])))

    async def hub(c, d):
        runtime.link(c)
        runtime.link(d)
        raise ValueError("hub failed")

    c, d = runtime.spawn(trapper, me), runtime.spawn(trapper, me)
    runtime.spawn(hub, c, d)
    heard = []
    for _ in range(2):
        heard.append((await runtime.receive(("heard", runtime.ANY)))[1])
    print("both linked processes heard:", heard)
    for pid in (a, b, c, d):
        runtime.exit(pid, "kill")

runtime.run(main)
