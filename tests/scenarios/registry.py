# Registered names: register, whereis, registered, unregister; a taken name,
# a second name for one process, a dead process and a non-str name are
# refused; spawn_opt(name=...) registers at spawn; names free on exit.
import runtime


async def idle():
    await runtime.receive()


def mask(text):
    """`text` with pids shown as <pid>: their numbers differ between targets."""
    while "<0." in text:
        start = text.index("<0.")
        text = text[:start] + "<pid>" + text[text.index(".0>", start) + 3:]
    return text


def attempt(what, fn, *args):
    try:
        fn(*args)
        print(what, "ok")
    except (ValueError, TypeError) as e:
        print(what, type(e).__name__ + ":", mask(str(e)))


async def main():
    a = runtime.spawn(idle)
    b = runtime.spawn(idle)
    runtime.register("alpha", a)
    attempt("alpha again for b:", runtime.register, "alpha", b)
    attempt("beta for a:", runtime.register, "beta", a)
    attempt("beta for b:", runtime.register, "beta", b)
    attempt("number as name:", runtime.register, 42, b)
    print("registered:", runtime.registered())
    print("process_info name:", runtime.process_info(a)["registered_name"])
    runtime.unregister("alpha")
    attempt("unregister alpha again:", runtime.unregister, "alpha")
    print("registered:", runtime.registered())

    c = runtime.spawn_opt(idle, name="gamma")
    print("gamma:", runtime.whereis("gamma") is c)
    attempt("spawn_opt with taken name:", runtime.spawn_opt, idle, (), False, False, "normal", "gamma")

    runtime.exit(c, "kill")
    await runtime.sleep(10)
    attempt("register on dead pid:", runtime.register, "delta", c)
    print("registered:", runtime.registered())
    runtime.register("gamma", a)
    print("gamma reused:", runtime.whereis("gamma") is a)

runtime.run(main)
