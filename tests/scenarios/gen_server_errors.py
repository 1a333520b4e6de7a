# gen_server errors: a call to a dead pid or an unregistered name exits
# the caller with noproc (CallExit, catchable); casts to them are dropped
# silently; a callback that raises crashes the server (terminate runs, one
# crash report) and the caller of the pending call gets the server's
# reason; a wrong return crashes it with ('bad_return_value', value); bad
# arguments raise at the call. Nothing else is disturbed.
import runtime
from runtime import ANY, gen_server


class Fragile(gen_server.GenServer):
    def handle_call(self, request, from_, state):
        if request == "divide":
            raise ValueError("cannot divide by %r" % state)
        if request == "wrong":
            return ("ok", state)
        return ("reply", state, state)

    def handle_cast(self, msg, state):
        return msg  # whatever the caster sent is the return value

    def terminate(self, reason, state):
        print("terminate:", runtime.logger.describe(reason))


def describe(e):
    why, (module, function, args) = e.reason
    return "%s from %s.%s" % (runtime.logger.describe(why), module, function)


async def main():
    runtime.logger.clear()
    gone = await gen_server.start(Fragile, 1)
    await gen_server.stop(gone)
    for server in (gone, "nobody"):
        try:
            await gen_server.call(server, "get")
        except gen_server.CallExit as e:
            print("call to", "a dead pid" if server is gone else "an unknown name", "->", describe(e))
        gen_server.cast(server, "hello")
        print("cast to it: dropped")
    try:
        await gen_server.call(runtime.self_pid(), "get")
    except gen_server.CallExit as e:
        print("call to oneself ->", describe(e))

    pid = await gen_server.start(Fragile, 0)
    ref = runtime.monitor(pid)
    try:
        await gen_server.call(pid, "divide")
    except gen_server.CallExit as e:
        print("crash during the call ->", describe(e))
    print("server exited with", runtime.logger.describe((await runtime.receive(("DOWN", ref, ANY, ANY, ANY)))[4]))
    reports = [text for level, text in runtime.logger.recent()]
    print("crash reports:", len(reports), reports[0].split("\n")[1].strip())

    for bad in (("ok", 0), ("noreply", 0, -5)):
        pid = await gen_server.start(Fragile, 7)
        ref = runtime.monitor(pid)
        gen_server.cast(pid, bad)
        print("cast returning", bad, "-> exit",
              runtime.logger.describe((await runtime.receive(("DOWN", ref, ANY, ANY, ANY)))[4]))
    pid = await gen_server.start(Fragile, 7)
    try:
        await gen_server.call(pid, "wrong")
    except gen_server.CallExit as e:
        print("call returning ('ok', 7) ->", describe(e))

    pid = await gen_server.start(Fragile, 7)
    for server, timeout in ((42, 10), (pid, "soon"), (pid, -1)):
        try:
            await gen_server.call(server, "get", timeout)
        except (TypeError, ValueError) as e:
            print(type(e).__name__ + ":", e)
    try:
        gen_server.cast(None, "x")
    except TypeError as e:
        print("TypeError:", e)
    for from_ in (None, ("pid", 1)):
        try:
            gen_server.reply(from_, "x")
        except TypeError as e:
            print("TypeError:", str(e).split(", got")[0])
    print("server still fine:", await gen_server.call(pid, "get"))

runtime.logger.set_level("none")
print(runtime.run(main))
