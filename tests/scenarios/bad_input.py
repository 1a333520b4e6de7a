# Bad input gets a clear error at the call, never a hang: send to something
# that is neither a pid nor a name, spawn of something that is not an async
# function, malformed receive patterns, and calls that need a process made
# outside one.
import runtime


def plain():
    pass


async def real():
    pass


class Unhashable:
    __hash__ = None

    def __eq__(self, other):
        return False


def attempt(what, fn, *args):
    try:
        fn(*args)
        print(what, "no error")
    except (TypeError, ValueError, RuntimeError) as e:
        print(what, "->", type(e).__name__ + ":", str(e).split(", got")[0])


async def main():
    me = runtime.self_pid()
    for dest in (42, None, [me], (me,)):
        attempt("send to %s" % type(dest).__name__, runtime.send, dest, "hi")
    coro = real()
    things = (("a plain function", plain), ("a lambda", lambda: None), ("a coroutine object", coro),
              ("a number", 42), ("None", None), ("a builtin", print))
    for what, fn in things:
        attempt("spawn " + what, runtime.spawn, fn)
    coro.close()
    try:
        runtime.spawn(real, 1)
    except TypeError:
        print("spawn with a wrong argument count -> TypeError")
    for pattern in ([1], {"a": 1}, {1}, bytearray(b"x"), ("ok", [1]), Unhashable()):
        try:
            await runtime.receive(pattern, timeout=0)
            print("pattern", type(pattern).__name__, "accepted")
        except TypeError as e:
            why = str(e).split(" is ")[1].split(";")[0].split(",")[0]
            print("pattern", type(pattern).__name__, "-> TypeError:", why)
    for call, arg in ((runtime.link, "x"), (runtime.monitor, 3), (runtime.unlink, None)):
        attempt(call.__name__, call, arg)
    attempt("exit", runtime.exit, "not a pid", "reason")
    try:
        await runtime.sleep(-1)
    except ValueError as e:
        print("sleep(-1) -> ValueError:", e)
    print("still running")

runtime.run(main)
outside = (runtime.self_pid, runtime.receive, lambda: runtime.sleep(1), lambda: runtime.link(None),
           lambda: runtime.exit("reason"), lambda: runtime.trap_exit(True))
for call in outside:
    try:
        call()
        print("no error")
    except RuntimeError as e:
        print("outside a process -> RuntimeError:", e)
