# evaluate(): code outside any process (the REPL) runs a function in a new
# process while the system keeps running, gets its result or its exception,
# and leaves the other processes alone.
import runtime
from runtime import gen_server

runtime.logger.set_level("none")


class Counter(gen_server.GenServer):
    def handle_call(self, request, from_, count):
        if request == "next":
            return ("reply", count + 1, count + 1)
        raise ValueError("unknown request %r" % (request,))


async def ticker(out):
    for i in range(3):
        await runtime.sleep(10)
        runtime.send(out, ("tick", i))


pid = runtime.evaluate(gen_server.start, Counter, 0, "counter")
print("started", runtime.whereis("counter") == pid)
print("next", runtime.evaluate(gen_server.call, "counter", "next"))
print("next", runtime.evaluate(gen_server.call, "counter", "next"))
try:
    runtime.evaluate(gen_server.call, "counter", "bad")
except gen_server.CallExit as e:
    print("call failed:", runtime.logger.describe(e.reason[0]))
print("counter gone:", runtime.whereis("counter") is None)


async def collect():
    me = runtime.self_pid()
    runtime.spawn(ticker, me)
    got = []
    for i in range(3):
        got.append(await runtime.receive(("tick", runtime.ANY)))
    return got


print(runtime.evaluate(collect))


async def boom():
    raise KeyError("k")

try:
    runtime.evaluate(boom)
except KeyError as e:
    print("raised", type(e).__name__, e.args[0])
try:
    runtime.evaluate(42)
except TypeError as e:
    print("TypeError")
