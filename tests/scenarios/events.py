# Interrupts are messages: the process that claims a libos event source gets
# each of its events as ('event', source, value). A source has one owner and
# is released when the owner exits.
import libos
import runtime


async def owner(out):
    try:
        runtime.claim("alarm")
    except ValueError as e:
        runtime.send(out, "owner: ValueError: " + str(e).split(" by ")[0])
        return
    runtime.send(out, "owner: claimed")
    await runtime.receive("stop")


async def main():
    me = runtime.self_pid()
    runtime.claim("alarm")
    runtime.claim("alarm")  # again: nothing changes
    when = libos.ticks_add(libos.ticks_us(), 20000)
    libos.alarm(when)
    msg = await runtime.receive(("event", "alarm", runtime.ANY), timeout=5000)
    print(msg[0], msg[1], "value is the armed tick:", msg[2] == when)

    runtime.spawn(owner, me)
    print(await runtime.receive(str))
    runtime.release("alarm")
    try:
        runtime.release("alarm")
    except ValueError as e:
        print("ValueError:", e)
    other = runtime.spawn(owner, me)
    print(await runtime.receive(str))
    libos.alarm(libos.ticks_add(libos.ticks_us(), 1000))
    print("not for main:", await runtime.receive(timeout=100))
    runtime.send(other, "stop")
    await runtime.sleep(10)
    runtime.claim("alarm")
    print("claimed again after the owner exited")
    libos.alarm(libos.ticks_add(libos.ticks_us(), 1000))
    print((await runtime.receive(timeout=5000))[:2])
    try:
        runtime.claim("no_such_source")
    except ValueError:
        print("unknown source: ValueError")

runtime.run(main)
try:
    runtime.claim("alarm")
except RuntimeError as e:
    print("RuntimeError:", e)
