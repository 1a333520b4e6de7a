# 'kill' cannot be trapped and arrives as 'killed'; the killed process's
# finally blocks run but it cannot wait in them; its links see 'killed'.
import runtime
from runtime import ANY


async def stubborn(out):
    runtime.trap_exit(True)
    try:
        while True:
            try:
                await runtime.receive()
            except BaseException:
                print("stubborn: caught the exit, tries to go on")
                await runtime.sleep(10)
                print("never printed")
    finally:
        print("stubborn: finally ran")


async def watcher(target, out):
    runtime.trap_exit(True)
    runtime.link(target)
    runtime.send(out, "linked")
    msg = await runtime.receive(("EXIT", target, ANY))
    runtime.send(out, ("watcher saw", msg[2]))


async def main():
    me = runtime.self_pid()
    s, ref = runtime.spawn_monitor(stubborn, me)
    runtime.spawn(watcher, s, me)
    await runtime.receive("linked")
    runtime.exit(s, "kill")
    print("stubborn exited with", (await runtime.receive(("DOWN", ref, ANY, ANY, ANY)))[4])
    print(await runtime.receive(("watcher saw", ANY)))

    # A process that exits with reason 'kill' itself: its link partner gets an
    # ordinary (trappable) exit signal with reason 'kill'.
    async def suicidal():
        runtime.exit("kill")

    runtime.trap_exit(True)
    p = runtime.spawn_link(suicidal)
    print(await runtime.receive(("EXIT", p, ANY)) == ("EXIT", p, "kill"))

    # Killing oneself.
    async def self_killer(out):
        try:
            runtime.exit(runtime.self_pid(), "kill")
            print("never printed")
        finally:
            runtime.send(out, "self_killer: finally ran")

    k, ref = runtime.spawn_monitor(self_killer, me)
    print(await runtime.receive(str))
    print("self_killer exited with", (await runtime.receive(("DOWN", ref, ANY, ANY, ANY)))[4])

runtime.logger.set_level("none")
runtime.run(main)
