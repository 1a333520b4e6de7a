# What one process cannot do to the others: flood a mailbox, fork without
# end, fill the heap, or keep running when its slice is over. Each ends that
# process alone (or, for the fork bomb, stops it at the limit), and the
# system goes on. Run it with `make run FILE=examples/limits.py`.
import gc

import runtime
from runtime import ANY

runtime.logger.set_level("none")  # the crash reports are the point, not the console's


async def sink():
    await runtime.receive("never")


async def flooder(pid):
    while runtime.process_info(pid) is not None:
        for _ in range(64):
            runtime.send(pid, "flood")
        await runtime.checkpoint()


async def bomb():
    try:
        runtime.spawn(bomb)
        runtime.spawn(bomb)
    except runtime.SystemLimit:
        pass  # the limit: this one spawns no more
    await runtime.receive()


async def hog():
    chunks = []
    while True:
        chunks.append(bytearray(1024))
        await runtime.checkpoint()


async def stubborn():
    while True:
        try:
            while True:
                pass
        except BaseException:
            pass


async def end_of(fn, *args):
    pid, ref = runtime.spawn_monitor(fn, *args)
    return (await runtime.receive(("DOWN", ref, "process", pid, ANY)))[4]


async def main():
    print("limits:", runtime.limits())
    pid, ref = runtime.spawn_monitor(sink)
    runtime.spawn(flooder, pid)
    print("a flooded mailbox:", (await runtime.receive(("DOWN", ref, ANY, ANY, ANY)))[4])
    runtime.spawn(bomb)
    await runtime.sleep(1000)
    try:
        runtime.spawn(sink)
    except runtime.SystemLimit as e:
        print("a fork bomb:", e)
    print("the bombs alive:", len(runtime.processes()) - 1)
    for pid in runtime.processes():
        if pid != runtime.self_pid():
            runtime.exit(pid, "kill")
            await runtime.checkpoint()  # thousands of kills: more than one slice's work
    print("a memory hog:", repr(await end_of(hog)))
    print("a process that catches its cut:", await end_of(stubborn))
    print("processes left:", len(runtime.processes()))


gc.collect()
print("heap free before: %d bytes" % gc.mem_free())
print("main exited:", runtime.run(main))
gc.collect()
print("heap free after: %d bytes" % gc.mem_free())
