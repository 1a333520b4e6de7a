# Selective receive takes the first message matching a pattern and leaves the
# others in their order; patterns: literals, ANY, classes, tuples, predicates.
import runtime


async def main():
    me = runtime.self_pid()
    for msg in (1, "two", (3, "three"), 4.0, ("four", 4), b"five", None, ("ping", me, 7)):
        runtime.send(me, msg)
    print(await runtime.receive(("four", int)))
    print(await runtime.receive(bytes))
    print(await runtime.receive(lambda m: isinstance(m, float) and m > 3))
    print((await runtime.receive(("ping", runtime.self_pid(), runtime.ANY)))[2])
    print(await runtime.receive(None, timeout=0))
    print(await runtime.receive("two", 1))  # the first message matching either
    print("1 does not match 1.0 or True:", await runtime.receive(1.0, True, timeout=0))
    rest = []
    while True:
        msg = await runtime.receive(timeout=0)
        if msg is runtime.TIMEOUT:
            break
        rest.append(msg)
    print("left in order:", rest)

    # A waiting selective receive skips what does not match as it arrives.
    async def feeder():
        for msg in ("a", "b", ("wanted", 1), "c"):
            runtime.send(me, msg)
            await runtime.sleep(1)

    runtime.spawn(feeder)
    print(await runtime.receive(("wanted", int), timeout=1000))
    await runtime.sleep(20)
    print("queue:", runtime.process_info(me)["message_queue_len"])
    rest = []
    for _ in range(3):
        rest.append(await runtime.receive())
    print(rest)

runtime.run(main)
