# Bad input to supervisors: every child spec field and flag is checked by
# its own validator, and the error names the field and the value; a start
# function that raises, returns something other than a Pid, or whose
# process dies in init makes start_link fail with ('shutdown',
# ('failed_to_start_child', id, reason)) after the children already
# started are stopped; start_child with a bad spec raises in the caller and
# leaves the supervisor running.
import runtime
from runtime import ANY, gen_server, supervisor


async def worker(name):
    await runtime.receive()


class Noted(gen_server.GenServer):
    def init(self, name):
        runtime.trap_exit(True)
        runtime.send("main", ("up", name))
        return name

    def terminate(self, reason, name):
        runtime.send("main", ("stopped", name, reason))


class Failing(gen_server.GenServer):
    def init(self, arg):
        raise ValueError("init failed")


def raises():
    raise OSError("no device")


def returns_junk():
    return "not a pid"


def noted(name):
    return {"id": name, "start": (gen_server.start_link, (Noted, name))}


def good(name):
    return {"id": name, "start": (runtime.spawn_link, (worker, name))}


BAD_SPECS = [
    "not a dict",
    {"start": (runtime.spawn_link, (worker, "x"))},
    {"id": "x"},
    {"id": ["x"], "start": (runtime.spawn_link, (worker, "x"))},
    {"id": "x", "start": worker},
    {"id": "x", "start": (worker, "x")},
    {"id": "x", "start": (runtime.spawn_link, (worker, "x")), "restart": "sometimes"},
    {"id": "x", "start": (runtime.spawn_link, (worker, "x")), "shutdown": -1},
    {"id": "x", "start": (runtime.spawn_link, (worker, "x")), "shutdown": "soon"},
    {"id": "x", "start": (runtime.spawn_link, (worker, "x")), "type": "manager"},
    {"id": "x", "start": (runtime.spawn_link, (worker, "x")), "modules": "m"},
    {"id": "x", "start": (runtime.spawn_link, (worker, "x")), "colour": "red"},
]


def show(e):
    text = str(e)
    if ", got" in text:
        text = text.split(", got")[0] + ", got ..."
    print(" ", type(e).__name__ + ":", text.split(" {")[0])


async def main():
    runtime.register("main", runtime.self_pid())
    for spec in BAD_SPECS:
        try:
            await supervisor.start_link([spec])
        except (TypeError, ValueError) as e:
            show(e)
    for flags in (("one_for_many", 1, 5), ("one_for_one", -1, 5), ("one_for_one", 1.5, 5),
                  ("one_for_one", 1, 0), ("one_for_one", 1, "5")):
        try:
            await supervisor.start_link([good("a")], *flags)
        except ValueError as e:
            show(e)
    for children in ([good("a"), good("a")], "a", [good("a"), good("b")]):
        try:
            await supervisor.start_link(children, "one_for_one" if children != [good("a"), good("b")]
                                        else "simple_one_for_one")
        except (TypeError, ValueError) as e:
            show(e)

    for start in ((raises, ()), (returns_junk, ()), (gen_server.start_link, (Failing, 0))):
        try:
            await supervisor.start_link([noted("a"), noted("b"), {"id": "bad", "start": start}, noted("c")])
        except supervisor.Error as e:
            print("start_link -> Error:", runtime.logger.describe(e.reason))
        seen = []
        while True:
            msg = await runtime.receive(timeout=0)
            if msg is runtime.TIMEOUT:
                break
            seen.append(msg)
        print("  then:", seen)

    sup = await supervisor.start_link([good("a")])
    for spec in (BAD_SPECS[6], {"id": "bad", "start": (raises, ())}):
        try:
            await supervisor.start_child(sup, spec)
        except (TypeError, ValueError) as e:
            show(e)
        except supervisor.Error as e:
            print("start_child -> Error:", runtime.logger.describe(e.reason))
    print("supervisor still running:", [i for i, pid, kind, mods in await supervisor.which_children(sup)])

runtime.logger.set_level("none")
print(runtime.run(main))
