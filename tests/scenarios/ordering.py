# What one process sends another arrives in the order sent: messages, exit
# signals (trapped into EXIT messages), and the DOWN of a sender that exits
# after its last message.
import runtime


async def sender(dest, n):
    for i in range(n):
        runtime.send(dest, ("msg", i))
        if i == n // 2:
            runtime.exit(dest, ("signal", i))
    runtime.send(dest, "last")


async def main():
    runtime.trap_exit(True)
    me = runtime.self_pid()
    pid, ref = runtime.spawn_monitor(sender, me, 6)
    seen = []
    while True:
        msg = await runtime.receive(timeout=500)
        if msg is runtime.TIMEOUT:
            break
        if msg[0] == "EXIT":
            seen.append(("EXIT", msg[2]))
        elif msg[0] == "DOWN":
            seen.append(("DOWN", msg[4]))
        else:
            seen.append(msg)
    for item in seen:
        print(item)

    # Many senders interleave, but each one's messages stay in its order.
    async def counter(dest, tag, n):
        for i in range(n):
            runtime.send(dest, (tag, i))
            if i % 3 == 0:
                await runtime.sleep(0)

    for tag in "abc":
        runtime.spawn(counter, me, tag, 20)
    last = {"a": -1, "b": -1, "c": -1}
    in_order = True
    for _ in range(60):
        tag, i = await runtime.receive((str, int))
        in_order = in_order and i == last[tag] + 1
        last[tag] = i
    print("per-sender order kept:", in_order, sorted(last.items()))

runtime.run(main)
