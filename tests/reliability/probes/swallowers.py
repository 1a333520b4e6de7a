# Processes that catch what is meant to end them: each is ended anyway.
import libos


async def nested_slice_swallower():
    while True:
        try:
            try:
                while True:
                    pass
            except BaseException:
                while True:
                    pass
        except BaseException:
            pass


async def exit_swallower(boss):
    runtime.send(boss, "ready")
    while True:
        try:
            await runtime.receive()
        except BaseException:
            pass


async def spinner_on_exit(boss):
    try:
        runtime.send(boss, "ready")
        await runtime.receive()
    finally:
        while True:
            try:
                pass
            except BaseException:
                pass


class Foreign:
    """Awaitable, but not a runtime trap (MicroPython awaits through
    __iter__, CPython through __await__)."""

    def __iter__(self):
        yield "not a trap"

    __await__ = __iter__


async def foreign_looper():
    while True:
        try:
            await Foreign()
        except TypeError:
            pass


async def main():
    me = runtime.self_pid()
    reasons = []
    pid, ref = runtime.spawn_monitor(nested_slice_swallower)
    reasons.append(kind(await down_of(pid, ref)))
    for catcher in (exit_swallower, spinner_on_exit):
        pid, ref = runtime.spawn_monitor(catcher, me)
        await runtime.receive("ready")
        runtime.exit(pid, "stop")
        reasons.append(kind(await down_of(pid, ref)))
    pid, ref = runtime.spawn_monitor(foreign_looper)
    reasons.append(kind(await down_of(pid, ref)))
    return tuple(reasons)


probe("swallowers", main)
