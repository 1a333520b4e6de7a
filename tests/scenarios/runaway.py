# A process that runs longer than its slice budget without awaiting exits
# with ('slice_exceeded', ms); everything else keeps running. `except
# Exception` cannot stop it: SliceExpired is a BaseException.
import libos
import runtime


async def runaway():
    n = 0
    while True:
        try:
            n += 1
        except Exception:
            pass


async def ticker(out):
    for i in range(3):
        await runtime.sleep(5)
        runtime.send(out, ("tick", i))


async def main():
    me = runtime.self_pid()
    pid, ref = runtime.spawn_monitor(runaway)
    runtime.spawn(ticker, me)
    down = await runtime.receive(("DOWN", ref, "process", pid, runtime.ANY))
    print("runaway exited with", down[4])
    for _ in range(3):
        print(await runtime.receive(("tick", int), timeout=2000))
    report = runtime.logger.recent()[-1][1]
    print("crash report:", report.split("\n")[1].strip())
    print("scheduler still fine:", await runtime.receive(timeout=10))

if not hasattr(libos, "budget"):
    print("SKIP")
else:
    runtime.logger.set_level("none")
    print(runtime.run(main, slice_ms=50))
