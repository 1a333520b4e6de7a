# gen_statem: see diff_gen_statem.erl.
from prelude import out, runtime  # test_differential.py puts prelude.py here
from runtime import gen_statem


class Machine(gen_statem.GenStatem):
    callback_mode = ("handle_event_function", "state_enter")

    def init(self, arg):
        return ("ok", "s", [])

    def handle_event(self, kind, c, s, d):
        if kind == "enter":
            return ("keep_state", [("enter", c, s)] + d)
        if kind == "cast" and type(c) is tuple:
            if c[0] == "go":
                runtime.send(runtime.self_pid(), "info1")
                gen_statem.cast(runtime.self_pid(), "cast1")
                return ("keep_state", d, c[1])
            if c[0] == "quiet":
                return ("keep_state", d, c[1])
            if c[0] == "move":
                return ("next_state", "s2", d, c[1])
        if kind == "internal" and c == "move":
            return ("next_state", "s3", ["move"] + d)
        if kind == "internal" and type(c) is tuple and c[0] == "set":
            return ("keep_state", ["set"] + d, c[1])
        if kind == "cast" and c == "pp" and s == "s":
            return ("keep_state", ["postponed"] + d, ["postpone"])
        if type(kind) is tuple and kind[0] == "call":
            if c == "get":
                return ("keep_state", [], [("reply", kind[1], list(reversed(d)))])
            if c == "state":
                return ("keep_state_and_data", [("reply", kind[1], s)])
            if c == "hibernate":
                return ("keep_state", ["hibernated"] + d, [("reply", kind[1], "ok"), "hibernate"])
            if c == "stop":
                return ("stop_and_reply", "normal", [("reply", kind[1], "stopping")], d)
        return ("keep_state", [(kind, c, s)] + d)


async def run(name, msg):
    p = await gen_statem.start(Machine, None)
    await gen_statem.call(p, "get")
    gen_statem.cast(p, msg)
    await runtime.sleep(30)
    out(name, await gen_statem.call(p, "get"))
    await gen_statem.stop(p)


async def main():
    await run("event timeout 0 with messages queued", ("go", [("timeout", 0, "et")]))
    await run("state timeout 0 with messages queued", ("go", [("state_timeout", 0, "st")]))
    await run("generic timeout 0 with messages queued", ("go", [(("timeout", "g"), 0, "gt")]))
    await run("all three 0", ("go", [(("timeout", "g"), 0, "gt"), ("state_timeout", 0, "st"),
                                     ("timeout", 0, "et")]))
    await run("all three 0, event timeout first", ("go", [("timeout", 0, "et"), ("state_timeout", 0, "st"),
                                                          (("timeout", "g"), 0, "gt")]))
    await run("event timeout 0 then next_event", ("quiet", [("timeout", 0, "et"), ("next_event", "internal", "ie")]))
    await run("state timeout 0 then next_event", ("quiet", [("state_timeout", 0, "st"),
                                                            ("next_event", "internal", "ie")]))
    await run("generic timeouts 0 after next_event", ("quiet", [("next_event", "internal", "ie"),
                                                                (("timeout", "g"), 0, "gt"),
                                                                (("timeout", "h"), 0, "ht")]))
    await run("state timeout 0 with a state change", ("move", [("state_timeout", 0, "st")]))
    await run("state timeout 0 cancelled by a state change queued before it",
              ("quiet", [("state_timeout", 0, "st"), ("next_event", "internal", "move")]))
    await run("generic timeout 0 set twice", ("quiet", [(("timeout", "b"), 0, "b1"), (("timeout", "a"), 0, "at"),
                                                        (("timeout", "b"), 0, "b2")]))
    await run("state timeout 0 cancelled", ("quiet", [("state_timeout", 0, "st"), ("state_timeout", "cancel")]))
    await run("state timeout 0 then 10", ("quiet", [("state_timeout", 0, "st"), ("state_timeout", 10, "st10")]))
    await run("event timeout 10 then 0", ("quiet", [("timeout", 10, "et10"), ("timeout", 0, "et")]))
    await run("generic 5 and state 0", ("quiet", [(("timeout", "b"), 5, "b5"), ("state_timeout", 0, "s0")]))
    await run("zero timeouts after queued events",
              ("quiet", [("next_event", "internal", ("set", [("state_timeout", 0, "st"),
                                                             ("next_event", "internal", "inner")])),
                         ("next_event", "internal", "e2")]))
    await run("event timeout 10 with an event queued", ("quiet", [("timeout", 10, "et"),
                                                                  ("next_event", "internal", "ie")]))
    await run("a bare time is an event timeout", ("quiet", 5))
    await run("a bare infinity cancels it", ("quiet", [("timeout", 5, "x"), "infinity"]))
    await run("a bare 0", ("quiet", [0]))
    p = await gen_statem.start(Machine, None)
    out("first state enter", await gen_statem.call(p, "get"))
    gen_statem.cast(p, "pp")
    gen_statem.cast(p, ("move", []))
    await runtime.sleep(10)
    out("postponed until the state changes", await gen_statem.call(p, "get"))
    out("hibernate", (await gen_statem.call(p, "hibernate"), await gen_statem.call(p, "state"),
                      await gen_statem.call(p, "get")))
    runtime.send(p, "after_hibernate")
    out("woken by a message", await gen_statem.call(p, "get"))
    out("stop_and_reply", await gen_statem.call(p, "stop"))
    try:
        await gen_statem.stop(p)
    except gen_statem.CallExit as e:
        out("stop a dead machine", ("EXIT", e.reason))


runtime.logger.set_level("none")
runtime.run(main)
