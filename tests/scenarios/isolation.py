# Isolation: what a receiver got never changes when the sender mutates what
# it sent (lists, dicts, sets, bytearrays, also nested in tuples); immutable
# terms are shared rather than copied.
import runtime


async def keeper(out):
    got = await runtime.receive()
    await runtime.receive("check")
    runtime.send(out, got)


async def main():
    me = runtime.self_pid()
    inner = [1, 2]
    message = ("data", inner, {"k": [3]}, {4, 5}, bytearray(b"ab"), (6, [7]))
    k = runtime.spawn(keeper, me)
    runtime.send(k, message)
    inner.append(99)
    message[2]["k"].append(99)
    message[2]["new"] = 1
    message[3].add(99)
    message[4].extend(b"zz")
    message[5][1].append(99)
    runtime.send(k, "check")
    got = await runtime.receive()
    print(got[0], got[1], got[2], sorted(got[3]), bytes(got[4]), got[5])
    print("sender's copy changed:", inner, sorted(message[3]))

    # A message sent to oneself is isolated too.
    box = [1]
    runtime.send(me, box)
    box.append(2)
    print("self-sent:", await runtime.receive())

    # Immutable terms are passed as they are.
    t = ("x", 1, 2.5, b"y", None, True, me, (1, ("deep",)))
    runtime.send(me, t)
    print("immutable tuple shared:", (await runtime.receive()) is t)

    # spawn arguments are isolated like messages.
    arg = [1]

    async def show(a, out):
        await runtime.receive("go")
        runtime.send(out, a)

    s = runtime.spawn(show, arg, me)
    arg.append(2)
    runtime.send(s, "go")
    print("spawn argument:", await runtime.receive())

runtime.run(main)
