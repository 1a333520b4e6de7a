# Reductions: every send, receive and sleep costs one. A process that keeps
# finding messages in receive never waits, yet it yields to the others once
# it has spent its quota.
import runtime


async def flooder(out, n):
    me = runtime.self_pid()
    for i in range(n):
        runtime.send(me, i)
    total = 0
    for _ in range(n):
        total += await runtime.receive()
    runtime.send(out, ("flooder done", total, runtime.process_info(me)["reductions"]))


async def other(out):
    runtime.send(out, "other ran")


async def main():
    me = runtime.self_pid()
    runtime.spawn(flooder, me, 300)
    runtime.spawn(other, me)
    first = await runtime.receive()
    second = await runtime.receive()
    print("first:", first)
    print("second:", second[0], second[1])
    print("flooder's reductions counted all its sends and receives:", second[2] >= 600)
    print("main's reductions:", runtime.process_info(me)["reductions"] >= 2)

runtime.run(main)
