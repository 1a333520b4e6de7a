# OTP's sys on behaviours: see diff_sys.erl.
from prelude import ANY, TIMEOUT, out, runtime  # test_differential.py puts prelude.py here
from runtime import gen_server, gen_statem


class Counter(gen_server.GenServer):
    def init(self, arg):
        return 0

    def handle_call(self, request, from_, n):
        return ("reply", n, n + 1)


class Door(gen_statem.GenStatem):
    callback_mode = ("state_functions", "state_enter")

    def init(self, arg):
        return ("ok", "locked", [])

    def locked(self, kind, content, d):
        if kind == "enter":
            return ("keep_state", ["entered_locked"] + d)
        if kind == "cast":
            if content[1] == 1234:
                return ("next_state", "open", ["unlocked"] + d, [("state_timeout", 10, "relock")])
            return ("keep_state", ["wrong"] + d)
        if content == "open_door":
            return ("keep_state", ["postponed"] + d, ["postpone"])
        return ("keep_state", [], [("reply", kind[1], list(reversed(d)))])

    def open(self, kind, content, d):
        if kind == "enter":
            return ("keep_state", ["entered_open"] + d)
        if kind == "state_timeout":
            return ("next_state", "locked", ["relocked"] + d)
        if content == "open_door":
            return ("keep_state", ["opened"] + d, [("reply", kind[1], "opened")])
        return ("keep_state", [], [("reply", kind[1], list(reversed(d)))])


async def ask(to, tag, behaviour, server, request):
    runtime.send(to, (tag, await behaviour.call(server, request)))


async def main():
    me = runtime.self_pid()
    c = await gen_server.start(Counter, None)
    await gen_server.suspend(c)
    runtime.spawn(ask, me, "answer", gen_server, c, "next")
    m = await runtime.receive(("answer", ANY), timeout=20)
    out("a call to a suspended server waits", "waiting" if m is TIMEOUT else m[1])
    out("get_state while suspended", await gen_server.get_state(c))
    await gen_server.resume(c)
    m = await runtime.receive(("answer", ANY), timeout=100)
    out("answered once resumed", "none" if m is TIMEOUT else m[1])
    out("then", await gen_server.call(c, "next"))
    d = await gen_statem.start(Door, None)
    gen_statem.cast(d, ("code", 1))
    runtime.spawn(ask, me, "door", gen_statem, d, "open_door")
    await runtime.sleep(5)
    out("postponed in locked", await gen_statem.call(d, "log"))
    gen_statem.cast(d, ("code", 1234))
    m = await runtime.receive(("door", ANY), timeout=100)
    out("answered in open", "none" if m is TIMEOUT else m[1])
    out("get_state of a gen_statem", (await gen_statem.get_state(d))[0])
    await runtime.sleep(30)
    out("relocked by its state timeout", ((await gen_statem.get_state(d))[0], await gen_statem.call(d, "log")))


runtime.logger.set_level("none")
runtime.run(main)
