# gen_statem events and timeouts; see diff_gen_statem_events.erl.
from prelude import ANY, out, runtime  # test_differential.py puts prelude.py here
from runtime import gen_statem


class Machine(gen_statem.GenStatem):
    callback_mode = ("handle_event_function", "state_enter")

    def init(self, arg):
        return ("ok", "idle", (arg, []))

    def terminate(self, reason, state, data):
        out("terminate", (reason, state))

    def handle_event(self, kind, c, s, d):
        if kind == "enter":
            if s == "change_in_enter":
                return ("next_state", "elsewhere", "x")
            if s == "postpone_in_enter":
                return ("keep_state_and_data", ["postpone"])
            return ("keep_state", (d[0], [("enter", c, s)] + d[1]))
        if type(kind) is tuple and kind[0] == "call":
            if c == "log":
                return ("keep_state", (d[0], []), [("reply", kind[1], list(reversed(d[1])))])
            if type(c) is tuple and c[0] == "answer_later":
                return ("keep_state", d, [("next_event", "internal", ("reply", kind[1], c[1]))])
        if kind == "cast":
            if type(c) is tuple and c[0] == "go":
                return ("keep_state", d, c[1])
            if type(c) is tuple and c[0] == "move":
                return ("next_state", c[1], d, c[2])
            if c == "repeat":
                return ("repeat_state", d)
            if c == "bad_result":
                return ("what", "is", "this")
            if c == "bad_action":
                return ("keep_state", d, [("bogus", "action")])
        if kind == "internal" and type(c) is tuple and c[0] == "reply":
            return ("keep_state", d, [("reply", c[1], ("later", c[2]))])
        return ("keep_state", (d[0], [(kind, c, s)] + d[1]))


async def fresh():
    p = await gen_statem.start(Machine, "x")
    await gen_statem.call(p, "log")
    return p


async def main():
    p = await fresh()
    gen_statem.cast(p, ("go", [("next_event", "internal", "i"), ("next_event", "cast", "c"),
                               ("next_event", "info", "n")]))
    out("next_event of each type, in order", await gen_statem.call(p, "log"))
    out("a reply from an inserted event", await gen_statem.call(p, ("answer_later", 7)))
    gen_statem.cast(p, "repeat")
    out("repeat_state runs the enter call again", await gen_statem.call(p, "log"))
    gen_statem.cast(p, ("go", [("state_timeout", 20, "st")]))
    await runtime.sleep(5)
    gen_statem.cast(p, "other")
    await runtime.sleep(40)
    out("a state timeout outlives events", await gen_statem.call(p, "log"))
    gen_statem.cast(p, ("go", [("state_timeout", 20, "st")]))
    gen_statem.cast(p, ("move", "busy", []))
    await runtime.sleep(40)
    out("a state change cancels it", await gen_statem.call(p, "log"))
    gen_statem.cast(p, ("move", "busy", [("state_timeout", 20, "st")]))
    await runtime.sleep(5)
    gen_statem.cast(p, ("move", "busy", []))
    await runtime.sleep(40)
    out("a next_state to the same state does not", await gen_statem.call(p, "log"))
    gen_statem.cast(p, ("go", [(("timeout", "a"), 10, "ga"), (("timeout", "b"), 20, "gb")]))
    gen_statem.cast(p, ("move", "idle", []))
    await runtime.sleep(5)
    gen_statem.cast(p, ("go", [(("timeout", "a"), "cancel")]))
    await runtime.sleep(40)
    out("generic timeouts: by name, across states", await gen_statem.call(p, "log"))
    gen_statem.cast(p, ("go", [("timeout", 10, "et")]))
    await runtime.sleep(5)
    runtime.send(p, "poke")
    await runtime.sleep(30)
    out("any event cancels the event timeout", await gen_statem.call(p, "log"))
    runtime.trap_exit(True)
    for label, msg in (("a bad result", "bad_result"), ("a bad action", "bad_action"),
                       ("a state change in an enter call", ("move", "change_in_enter", [])),
                       ("postpone in an enter call", ("move", "postpone_in_enter", []))):
        q = await gen_statem.start_link(Machine, "x")
        gen_statem.cast(q, msg)
        out(label, (await runtime.receive(("EXIT", q, ANY)))[2])
    q2 = await fresh()
    try:
        await gen_statem.call(q2, "no_answer_to_this", 10)
    except gen_statem.CallExit as e:
        out("call timeout", e.reason[0])


runtime.logger.set_level("none")
runtime.run(main)
