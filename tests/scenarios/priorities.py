# Priorities: high runs before normal and low; a busy high process starves
# normal ones until it waits; busy normal processes do not starve a low one.
import runtime


async def report(out, tag):
    runtime.send(out, tag)


async def busy(out, tag, turns):
    for _ in range(turns):
        await runtime.sleep(0)
    runtime.send(out, tag)


async def spin():
    while True:
        await runtime.sleep(0)


async def main():
    me = runtime.self_pid()
    for priority in ("low", "normal", "high"):
        runtime.spawn_opt(report, (me, priority), priority=priority)
    print("first to run:", [await runtime.receive(), await runtime.receive(), await runtime.receive()])

    runtime.spawn_opt(busy, (me, "normal ran", 1), priority="normal")
    runtime.spawn_opt(busy, (me, "busy high done", 50), priority="high")
    print(await runtime.receive(), "then", await runtime.receive())

    spinners = [runtime.spawn(spin) for _ in range(5)]
    low = runtime.spawn_opt(busy, (me, "low ran among busy normal processes", 3), priority="low")
    print("low's priority:", runtime.process_info(low)["priority"])
    print(await runtime.receive())
    for pid in spinners:
        runtime.exit(pid, "kill")

    try:
        runtime.spawn_opt(spin, priority="urgent")
    except ValueError as e:
        print("ValueError:", e)

runtime.run(main)
