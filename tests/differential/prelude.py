# Prelude of every differential scenario (test_differential.py puts it in
# place of the line `from prelude import ...` of NAME.py): `label: term`
# lines, terms written as dshow.erl writes them, so that the lines compare
# with OTP's.
import gc

import runtime
from runtime import ANY, TIMEOUT, Pid, Ref  # noqa: F401 (the scenarios' too)
from runtime import supervisor  # for the supervisor scenarios' helpers below

gc.collect()


def fmt(t):
    if t is True or t is False:
        return "true" if t else "false"
    if t is None:
        return "undefined"
    kind = type(t)
    if kind is str or kind is int:
        return str(t)
    if kind is Pid:
        return "<pid>"
    if kind is Ref:
        return "<ref>"
    if kind is tuple:
        return "{" + ",".join(fmt(x) for x in t) + "}"
    if kind is list:
        return "[" + ",".join(fmt(x) for x in t) + "]"
    if kind is dict:
        return "#{" + ",".join(sorted(fmt(k) + " => " + fmt(t[k]) for k in t)) + "}"
    return "?%s" % kind.__name__


def out(label, term):
    print(label + ": " + fmt(term))


async def nothing():
    pass


async def forever():
    await runtime.receive("never")


async def flush():
    while await runtime.receive(timeout=0) is not TIMEOUT:
        pass


async def take(n):
    """The next `n` messages, in a list (MicroPython has no await in a
    comprehension)."""
    got = []
    for _ in range(n):
        got.append(await runtime.receive())
    return got


async def pid_of(sup, child_id):
    """The Pid of supervisor `sup`'s child `child_id`."""
    for c in await supervisor.which_children(sup):
        if c[0] == child_id:
            return c[1]


async def counts(sup):
    """count_children as OTP's list of pairs (ours is a dict)."""
    c = await supervisor.count_children(sup)
    return [(key, c[key]) for key in ("specs", "active", "supervisors", "workers")]


async def answer(f, *args):
    """A supervisor call's answer as OTP's: ok, {ok, Value} or {error, Reason}."""
    try:
        value = await f(*args)
        return "ok" if value is None else ("ok", value)
    except supervisor.Error as e:
        return ("error", e.reason)
