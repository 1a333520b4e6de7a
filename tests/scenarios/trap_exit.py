# trap_exit turns exit signals into ('EXIT', pid, reason) messages, 'normal'
# included; a trapping process survives its links' crashes.
import runtime
from runtime import ANY

runtime.logger.set_level("none")


async def dies_with(reason):
    await runtime.receive()
    runtime.exit(reason)


async def main():
    print("previous flag:", runtime.trap_exit(True))
    print("previous flag:", runtime.trap_exit(True))
    for reason in ("normal", "boom", "kill"):
        p = runtime.spawn_link(dies_with, reason)
        runtime.send(p, "go")
        tag, who, why = await runtime.receive(("EXIT", p, ANY))
        print(tag, "from the linked process, reason", why)

    # An exit signal sent with exit/2 is trapped too (but 'kill' is not).
    me = runtime.self_pid()

    async def signaller(reason):
        runtime.exit(me, reason)

    s = runtime.spawn(signaller, "stop")
    tag, who, why = await runtime.receive(("EXIT", ANY, ANY))
    print(tag, "from exit/2:", why, who is s)

    # Turning trapping off again: now 'boom' kills, and 'normal' is ignored.
    async def victim(out):
        runtime.trap_exit(True)
        print("victim previous flag:", runtime.trap_exit(False))
        runtime.send(out, "ready")
        await runtime.receive()

    v, ref = runtime.spawn_monitor(victim, me)
    await runtime.receive("ready")
    runtime.exit(v, "normal")
    print("after exit(v, 'normal'):", runtime.process_info(v)["status"])
    runtime.exit(v, "boom")
    print("victim exited with", (await runtime.receive(("DOWN", ref, ANY, ANY, ANY)))[4])

runtime.run(main)
