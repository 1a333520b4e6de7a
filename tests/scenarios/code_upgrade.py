# Live code loading (runtime.code): a counter under a supervisor, version 1,
# serves a client that calls it in a loop; it is upgraded to version 2,
# whose code_change converts the state, and the client sees no error and
# the count go on. Then an upgrade whose code_change fails on one of two
# servers, one to a module with a syntax error and a load whose body raises
# all leave version 2 serving both. A server restarted by its supervisor
# after the upgrade runs version 2.
import runtime
from runtime import ANY, code, gen_server, logger, supervisor

V1 = """
from runtime import gen_server
vsn = 1


class Counter(gen_server.GenServer):
    def handle_call(self, request, from_, count):
        return ('reply', ('v1', count), count + 1)


def start_link(name, first):
    return gen_server.start_link(Counter, first, name=name)
"""

V2 = """
from runtime import gen_server
vsn = 2


def bump(state):
    return {'count': state['count'] + 1, 'upgraded_at': state['upgraded_at']}


class Counter(gen_server.GenServer):
    def init(self, first):
        return {'count': first, 'upgraded_at': None}

    def handle_call(self, request, from_, state):
        return ('reply', ('v2', state['count']), bump(state))

    def code_change(self, old_vsn, count, extra):
        return {'count': count, 'upgraded_at': (old_vsn, count, extra)}


def start_link(name, first):
    return gen_server.start_link(Counter, first, name=name)
"""

# Version 3 cannot convert a negative count: b's (a's goes first, and is
# converted, then put back).
V3 = V2.replace("vsn = 2", "vsn = 3").replace("'v2'", "'v3'").replace(
    "return {'count': count,", "assert count['count'] >= 0, 'negative'\n        return {'count': count,")

SYNTAX_ERROR = V2.replace("def bump(state):", "def bump(state:")
BODY_RAISES = V2 + "\nraise RuntimeError('not today')\n"


async def client(server, parent):
    """Call `server` until told to stop, then report what it saw."""
    seen, errors = [], []
    while True:
        try:
            seen.append(await gen_server.call(server, "next"))
        except gen_server.CallExit as e:
            errors.append(e)
        stop = await runtime.receive(("stop",), timeout=0)
        if stop is not runtime.TIMEOUT:
            runtime.send(parent, ("seen", seen, errors))
            return


async def main():
    counter = code.load("counter", V1)
    print("loaded:", counter.vsn, [(v["origin"], v["vsn"]) for v in code.versions()
                                   if v["module"] == "counter"])
    # The child specs name version 1's class, as users write them: a
    # restart after the upgrade starts the class's current version.
    children = [{"id": name, "start": (gen_server.start_link, (counter.Counter, first, name))}
                for name, first in (("a", 0), ("b", -500))]
    await supervisor.start_link(children, intensity=5)
    client_pid = runtime.spawn_link(client, "a", runtime.self_pid())
    await runtime.sleep(20)
    servers = sorted(await code.servers_of("counter"))
    print("servers of counter:", servers)
    await code.upgrade("counter", V2, servers, extra="by scenario")
    print("upgraded: module vsn", counter.vsn, "has bump:", hasattr(counter, "bump"))
    await runtime.sleep(20)
    print("b's state:", sorted((await gen_server.get_state("b")).items()))

    # What went wrong is reported (the texts differ between Pythons: not shown).
    logger.set_level("critical")
    for bad in (V3, SYNTAX_ERROR, BODY_RAISES):
        try:
            await code.upgrade("counter", bad, ["a", "b"])
        except code.UpgradeError as e:
            print("UpgradeError at", e.step, "of", e.server, ":", type(e.reason).__name__
                  if isinstance(e.reason, BaseException) else e.reason)
        await runtime.sleep(5)
    try:
        code.load("counter", BODY_RAISES)
    except code.LoadError as e:
        print("LoadError:", type(e.reason).__name__, e.reason)
    logger.set_level("notice")
    print("after the failures: module vsn", counter.vsn, "; reported:",
          len([1 for level, text in logger.recent() if text.startswith("=CODE==== ")
               and "failed" in text]))

    runtime.send(client_pid, ("stop",))
    _, seen, errors = await runtime.receive(("seen", ANY, ANY))
    counts = [n for _, n in seen]
    print("client: %d errors; count goes on: %s; served by %s" % (
        len(errors), counts == list(range(len(counts))), sorted(set(v for v, _ in seen))))
    print("a now:", (await gen_server.call("a", "next"))[0], "changed from vsn",
          (await gen_server.get_state("a"))["upgraded_at"][0], "b now:",
          await gen_server.call("b", "next"))

    runtime.exit(runtime.whereis("b"), "kill")
    await runtime.sleep(10)
    print("b restarted:", await gen_server.call("b", "next"))
    print("versions:", [(v["origin"], v["vsn"]) for v in code.versions()
                        if v["module"] == "counter"])


runtime.run(main)
