"""Remote calls, OTP 25's way: rpc:call is erpc:call, which asks the other
node to spawn erpc:execute_call(Ref, Module, Function, Args) (a
SPAWN_REQUEST) and monitors the new process; its exit reason carries the
result: (Ref, 'return', Result), (Ref, 'throw', Value), (Ref, 'exit',
Reason) or (Ref, 'error', Reason, Stack).

Here a module is a Python module and a function one of its functions (an
`async def` one is awaited), called with the arguments as Python terms. A
module that cannot be imported, or has no such function, is Erlang's
`undef`; an exception is an `error` whose reason is (its class name, its
text as a binary: the BEAM never frees an atom).
"""
from runtime.compat import is_coroutine
from runtime.dist.control import reason_term
from runtime.scheduler import SCHEDULER
from runtime.terms import ProcessExit


def find(module, function):
    """The function `module`.`function`, or None."""
    if type(module) is not str or type(function) is not str:
        return None
    try:
        found = __import__(module)
        for part in module.split(".")[1:]:
            found = getattr(found, part)
        found = getattr(found, function)
    except (ImportError, AttributeError):
        return None
    return found if callable(found) else None


async def execute(module, function, args, ref=None):
    """A spawn request here: run module.function(*args); with `ref` (an
    erpc call), exit with the result as erpc:execute_call does (no crash
    report for that: the exit is the answer)."""
    SCHEDULER.current.reports = False
    fn = find(module, function)
    if fn is None or type(args) is not list:
        if ref is None:
            raise ProcessExit(("undef", [(module, function, args, [])]))
        raise ProcessExit((ref, "error", "undef", [(module, function, args, [])]))
    if ref is None:
        result = fn(*args)
        if is_coroutine(result):
            await result
        return
    try:
        result = fn(*args)
        if is_coroutine(result):
            result = await result
    except ProcessExit as e:
        raise ProcessExit((ref, "exit", e.reason))
    except Exception as e:
        raise ProcessExit((ref, "error", reason_term(e), []))
    raise ProcessExit((ref, "return", result))


def outcome(reason, ref):
    """What rpc:call returns, from the exit reason of the process that
    ran the call (or what stopped it)."""
    if type(reason) is tuple and len(reason) >= 3 and reason[0] == ref:
        kind = reason[1]
        if kind == "return" or kind == "throw":
            return reason[2]
        if kind == "exit":
            return ("badrpc", ("EXIT", reason[2]))
        if kind == "error" and len(reason) == 4:
            return ("badrpc", ("EXIT", (reason[2], reason[3])))
    if reason == "noconnection":
        return ("badrpc", "nodedown")
    return ("badrpc", ("EXIT", reason))
