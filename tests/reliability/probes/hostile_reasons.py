# Exit reasons that misbehave when printed, compared or copied: the runtime,
# which renders, compares and copies them outside any process, survives
# each; those it cannot carry arrive as ('bad_exit_reason', why).
class Unprintable(Exception):
    def __str__(self):
        raise ValueError("no")


class Endless(Exception):
    def __str__(self):
        while True:
            pass


class Incomparable:
    def __eq__(self, other):
        raise ValueError("no")

    def __ne__(self, other):
        raise ValueError("no")

    def __hash__(self):
        raise ValueError("no")


def deep():
    term = [0]
    for _ in range(200):
        term = (term,)
    return term


def huge():
    return list(range(2000))  # more items than the exit path copies (SETTLE_ITEMS)


async def raises(exc):
    raise exc


async def exits(make):
    raise runtime.ProcessExit(make())


async def linked_to(fn, arg, boss):
    runtime.trap_exit(True)
    pid = runtime.spawn_link(fn, arg)
    runtime.send(boss, ("exit", (await runtime.receive(("EXIT", pid, ANY)))[2]))


def shown(reason):
    if isinstance(reason, (Unprintable, Endless)):
        return type(reason).__name__
    if isinstance(reason, Incomparable):
        return "Incomparable"
    if isinstance(reason, tuple) and reason and reason[0] == "bad_exit_reason":
        return reason
    return "copied" if reason == cyclic_list() or len(reason) in (1, 2000) else reason


async def main():
    seen = []
    for fn, arg in ((raises, Unprintable()), (raises, Endless()),
                    (exits, Incomparable), (exits, cyclic_list), (exits, deep), (exits, huge)):
        pid, ref = runtime.spawn_monitor(fn, arg)
        down = shown(await down_of(pid, ref))
        runtime.spawn(linked_to, fn, arg, runtime.self_pid())
        _, exit_reason = await runtime.receive(("exit", ANY))
        seen.append(down if down == shown(exit_reason) else (down, shown(exit_reason)))
    return tuple(seen)


probe("hostile_reasons", main)
