# A process that exits with an exception produces one crash report: pid,
# registered name, reason and traceback, kept in the logger's ring (and
# printed on the console unless silenced, as here: tracebacks differ between
# targets). 'normal', 'shutdown' and ('shutdown', term) produce none, nor does
# a process killed by an exit signal.
import runtime
from runtime import ANY


def crasher_helper(x):
    return 10 // x


async def crasher():
    runtime.register("doomed", runtime.self_pid())
    crasher_helper(0)


async def exits_with(reason):
    runtime.exit(reason)


async def returns():
    return 42


async def waits():
    await runtime.receive()


async def main():
    pid, ref = runtime.spawn_monitor(crasher)
    down = await runtime.receive(("DOWN", ref, ANY, ANY, ANY))
    reason = down[4]
    print("reason:", type(reason).__name__)
    reports = runtime.logger.recent()
    print("reports:", len(reports))
    level, text = reports[0]
    lines = text.split("\n")
    print(level, lines[0].startswith("=CRASH REPORT==== process %r (doomed) exited" % (pid,)))
    print(lines[1].split(":")[0].strip(), "->", lines[1].split(": ", 1)[1].split(":")[0])
    print("traceback names the functions:", "in crasher" in text and "in crasher_helper" in text)

    runtime.logger.clear()
    for reason in ("normal", "shutdown", ("shutdown", "bye"), "boom", ("error", 1)):
        p, ref = runtime.spawn_monitor(exits_with, reason)
        await runtime.receive(("DOWN", ref, ANY, ANY, ANY))
    p, ref = runtime.spawn_monitor(returns)
    print("returned:", (await runtime.receive(("DOWN", ref, ANY, ANY, ANY)))[4])
    p, ref = runtime.spawn_monitor(waits)
    runtime.exit(p, "killed_by_signal")
    await runtime.receive(("DOWN", ref, ANY, ANY, ANY))
    for level, text in runtime.logger.recent():
        print(level, text.split("\n")[1].strip())

runtime.logger.set_level("none")
runtime.run(main)
