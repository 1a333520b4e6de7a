# gen_server: see diff_gen_server.erl.
from prelude import ANY, TIMEOUT, out, runtime  # test_differential.py puts prelude.py here
from runtime import gen_server


class NoContinue(gen_server.GenServer):
    def init(self, cont):
        return ("ok", 0, ("continue", cont))


class Server(gen_server.GenServer):
    def init(self, arg):
        if arg == "plain":
            return []
        if arg == "continue":
            return ("ok", ["init"], ("continue", "first"))
        if arg == "hibernate":
            return ("ok", ["init"], "hibernate")
        if arg == "timeout":
            return ("ok", ["init"], 20)
        if arg == "stop":
            return ("stop", "no_way")
        return ("ignore",)

    def handle_continue(self, cont, s):
        if cont == "first":
            return ("noreply", ["first"] + s, ("continue", "second"))
        if cont == "second":
            return ("noreply", ["second"] + s)
        if cont == "stop":
            return ("stop", "normal", s)
        gen_server.reply(cont[1], "later")
        return ("noreply", s)

    async def handle_call(self, request, from_, s):
        if request == "get":
            return ("reply", s, s)
        if request == "later":
            return ("noreply", s, ("continue", ("reply_later", from_)))
        if request == "continue":
            return ("reply", "ok", s, ("continue", "first"))
        if request == "hibernate":
            return ("reply", "ok", ["hibernated"] + s, "hibernate")
        if request == "timeout":
            return ("reply", "ok", s, 10)
        if request == "slow":
            await runtime.sleep(50)
            return ("reply", "ok", s)
        if request == "stop":
            return ("stop", "done", "stopped", s)
        raise ValueError("crashed")

    def handle_cast(self, msg, s):
        if msg == "hibernate":
            return ("noreply", s, "hibernate")
        if msg == "stop_after_continue":
            return ("noreply", s, ("continue", "stop"))
        return ("noreply", [msg[1]] + s)

    def handle_info(self, msg, s):
        return ("noreply", ["timeout" if msg == "timeout" else ("info", msg)] + s)

    def terminate(self, reason, s):
        out("terminate", reason)


async def caught(f, *args):
    try:
        return await f(*args)
    except gen_server.CallExit as e:
        return ("EXIT", e.reason)


async def main():
    p = await gen_server.start(Server, "continue")
    out("continue from init, chained, before any call", await gen_server.call(p, "get"))
    out("call that continues", await gen_server.call(p, "continue"))
    out("then", await gen_server.call(p, "get"))
    out("reply from handle_continue", await gen_server.call(p, "later"))
    gen_server.cast(p, ("push", "cast"))
    runtime.send(p, "hello")
    out("casts and infos in order", await gen_server.call(p, "get"))
    out("hibernate keeps the state", (await gen_server.call(p, "hibernate"), await gen_server.call(p, "get")))
    gen_server.cast(p, "hibernate")
    gen_server.cast(p, ("push", "woken"))
    out("a cast wakes it", await gen_server.call(p, "get"))
    out("timeout from a call", await gen_server.call(p, "timeout"))
    await runtime.sleep(40)
    out("then", (await gen_server.call(p, "get"))[0])
    await gen_server.stop(p)
    out("stop", "ok")
    out("stop a dead pid", await caught(gen_server.stop, p))
    out("stop a name nobody holds", await caught(gen_server.stop, "nobody"))
    out("call a dead pid", (await caught(gen_server.call, p, "get"))[1][0])
    why, (module, function, _) = (await caught(gen_server.call, "nobody", "get"))[1]
    out("call a name nobody holds", (why, module, function))
    gen_server.cast("nobody", "hi")
    out("cast to a name nobody holds", "ok")
    h = await gen_server.start(Server, "hibernate")
    out("hibernate from init", await gen_server.call(h, "get"))
    t = await gen_server.start(Server, "timeout")
    await runtime.sleep(40)
    out("timeout from init", await gen_server.call(t, "get"))
    for arg in ("stop", "ignore"):
        try:
            out("init stops" if arg == "stop" else "init ignores",
                "ignore" if await gen_server.start(Server, arg) is None else "ok")
        except gen_server.Error as e:
            out("init stops", ("error", e.reason))
    n = await gen_server.start(Server, "plain", name="named_server")
    try:
        await gen_server.start(Server, "plain", name="named_server")
    except gen_server.Error as e:
        out("start a taken name", e.reason[0])
    out("call by name", await gen_server.call("named_server", "get"))
    out("call timeout", (await caught(gen_server.call, n, "slow", 10))[1][0])
    await runtime.sleep(60)
    out("stop with a reply", await gen_server.call(n, "stop"))
    await runtime.sleep(5)
    c = await gen_server.start(Server, "plain")
    gen_server.cast(c, "stop_after_continue")
    m = runtime.monitor(c)
    out("stop from handle_continue", (await runtime.receive(("DOWN", m, ANY, ANY, ANY)))[4])
    runtime.trap_exit(True)
    u = await gen_server.start_link(NoContinue, "c")
    m = await runtime.receive(("EXIT", u, ANY), timeout=1000)
    if m is TIMEOUT:
        out("no handle_continue", "none")
    else:
        why, ((_, function, args),) = m[2]
        out("no handle_continue", (why, function, args))


runtime.logger.set_level("none")
runtime.run(main)
