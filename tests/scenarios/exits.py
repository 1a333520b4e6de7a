# Exits: exit(reason) ends the caller (it raises ProcessExit, which finally
# blocks see and which a process may catch, as Erlang's catch); an exit
# signal to oneself cannot be caught; exit(self, 'normal') ends the caller.
import runtime
from runtime import ANY


async def catches(out):
    try:
        runtime.exit("changed my mind")
    except runtime.ProcessExit as e:
        runtime.send(out, ("caught", e.reason))
    runtime.send(out, "catches: still running")


async def normal_self():
    runtime.exit(runtime.self_pid(), "normal")
    print("never printed")


async def sleeper(out):
    try:
        await runtime.sleep(10000)
    finally:
        runtime.send(out, "sleeper: finally ran")
        try:
            await runtime.sleep(10)
        except runtime.ProcessExit as e:
            runtime.send(out, ("sleeper: cannot wait while exiting", e.reason))


async def main():
    me = runtime.self_pid()
    pid, ref = runtime.spawn_monitor(catches, me)
    print(await runtime.receive(tuple))
    print(await runtime.receive(str))
    print("exited with", (await runtime.receive(("DOWN", ref, ANY, ANY, ANY)))[4])

    pid, ref = runtime.spawn_monitor(normal_self)
    print("exit(self, 'normal'):", (await runtime.receive(("DOWN", ref, ANY, ANY, ANY)))[4])

    pid, ref = runtime.spawn_monitor(sleeper, me)
    await runtime.sleep(5)
    runtime.exit(pid, "wake_up")
    print(await runtime.receive(str))
    print(await runtime.receive(tuple))
    print("sleeper exited with", (await runtime.receive(("DOWN", ref, ANY, ANY, ANY)))[4])
    return "a return value is not an exit reason"

print("main's exit reason:", runtime.run(main))
