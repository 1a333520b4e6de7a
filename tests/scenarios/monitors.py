# Monitors: one-way, one DOWN per monitor with the exit reason; several
# monitors on one process; the monitored process is unaffected by the
# watcher's exit; demonitor stops the DOWN.
import runtime

runtime.logger.set_level("none")


async def worker(reason):
    msg = await runtime.receive()
    if reason == "raise":
        raise ValueError("bad " + msg)
    runtime.exit(reason)


def reason_text(reason):
    if isinstance(reason, BaseException):
        return type(reason).__name__ + ": " + str(reason)
    return repr(reason)


async def main():
    for reason in ("normal", "shutdown", "raise"):
        w = runtime.spawn(worker, reason)
        r1 = runtime.monitor(w)
        r2 = runtime.monitor(w)
        print("two refs differ:", r1 != r2)
        runtime.send(w, "input")
        for ref in (r1, r2):
            pattern = ("DOWN", ref, runtime.ANY, w, runtime.ANY)
            tag, got_ref, kind, pid, why = await runtime.receive(pattern)
            print(tag, kind, reason_text(why))

    # spawn_monitor
    pid, ref = runtime.spawn_monitor(worker, "done")
    runtime.send(pid, "x")
    print((await runtime.receive(("DOWN", ref, "process", pid, runtime.ANY)))[4])

    # The watcher exits; the watched process does not notice.
    w = runtime.spawn(worker, "normal")

    async def watcher():
        runtime.monitor(w)
        runtime.exit("watcher_done")

    runtime.spawn(watcher)
    await runtime.sleep(10)
    print("watched still alive:", runtime.process_info(w)["status"])
    print("watched monitored_by:", runtime.process_info(w)["monitored_by"])

    # demonitor: no DOWN afterwards.
    ref = runtime.monitor(w)
    print("monitors:", len(runtime.process_info(runtime.self_pid())["monitors"]))
    print(runtime.demonitor(ref))
    print("monitors:", len(runtime.process_info(runtime.self_pid())["monitors"]))

    # One monitor on a process, then two, then none (a process holds its one
    # watcher's Ref itself, more in a list: monitors.py).
    fresh = runtime.spawn(worker, "normal")
    me = runtime.self_pid()
    first = runtime.monitor(fresh)
    print("watched once:", runtime.process_info(fresh)["monitored_by"] == [me])
    second = runtime.monitor(fresh)
    print("watched twice:", runtime.process_info(fresh)["monitored_by"] == [me, me])
    runtime.demonitor(first)
    print("once again:", runtime.process_info(fresh)["monitored_by"] == [me])
    runtime.demonitor(second)
    print("not at all:", runtime.process_info(fresh)["monitored_by"])
    runtime.send(fresh, "stop")
    runtime.send(w, "stop")
    print(await runtime.receive(timeout=50))

runtime.run(main)
