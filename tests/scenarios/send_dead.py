# A send to a dead pid is dropped silently; a send to a name nobody holds
# raises; a name is freed when its holder exits.
import runtime


async def short():
    pass


async def named():
    runtime.register("server", runtime.self_pid())
    await runtime.receive("stop")


async def main():
    dead = runtime.spawn(short)
    await runtime.sleep(10)
    print("send to a dead pid:", runtime.send(dead, "anyone there?"))
    try:
        runtime.send("nobody", "hello")
    except ValueError as e:
        print("send to an unknown name: ValueError:", e)
    pid = runtime.spawn(named)
    await runtime.sleep(10)
    print("whereis:", runtime.whereis("server") is pid)
    runtime.send("server", "stop")
    await runtime.sleep(10)
    print("after exit, whereis:", runtime.whereis("server"))
    print("registered:", runtime.registered())
    try:
        runtime.send("server", "stop")
    except ValueError as e:
        print("ValueError:", e)

runtime.run(main)
