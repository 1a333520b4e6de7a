"""gen_server: a server whose concurrent part lives here; the user writes
only its sequential part, as methods of a GenServer subclass.

The callback contract. The generic module calls these in the server's
process, one at a time, and acts on what they return:

    init(arg) -> state
        Runs before start/start_link return. May instead return
        ('stop', reason): start raises Error(reason) and the server exits
        with reason; or ('ignore',): start returns None and the server exits
        normally. (So a state of exactly those shapes must be wrapped.)
        Default: the state is `arg`.
    handle_call(request, from_, state) ->
        ('reply', reply, state)          answer the caller now
        ('noreply', state)               answer later with reply(from_, value)
        ('stop', reason, reply, state)   terminate, then answer
        ('stop', reason, state)          terminate (answer first, if at all)
    handle_cast(msg, state) -> ('noreply', state) | ('stop', reason, state)
    handle_continue(term, state) -> as handle_cast; optional (see below)
    handle_info(msg, state) -> as handle_cast; gets every other message,
        ('EXIT', pid, reason) of a trapping server included. Default: logs
        a warning and drops the message.
    terminate(reason, state)
        Runs on stop(), on a ('stop', ...) return, when a callback raised or
        returned a wrong shape, and when the server traps exits and its
        parent (the process that called start_link) sends it an exit signal;
        not when the server is killed by an exit signal it does not trap.
        The server then exits with `reason`. Default: does nothing.
    code_change(old_vsn, state, extra) -> state
        Runs in the new class on change_code (see gen.py). Default: the
        state as it is.

A 'reply' or 'noreply' return (of handle_call, handle_cast, handle_info
or handle_continue) may carry a last item, as OTP's:
    ms (an int >= 0) or 'infinity'
        when no message comes within that time, handle_info('timeout',
        state) runs;
    'hibernate'
        the server hibernates until its next message (hibernation.py):
        its coroutine, the frames under its loop with what they reference
        (the init argument, say), is dropped, an empty mailbox list
        released and the heap collected; the next message wakes it in
        a fresh call of the loop, with its state;
    ('continue', term)
        handle_continue(term, state) runs next, before any message; it
        returns what handle_cast returns, a last item included.
        A server class without handle_continue crashes with
        ('undef', [(class name, 'handle_continue', [term, state])]), as
        OTP's undefined function does.
init may give the same last item: it returns ('ok', state, item) for
OTP's {ok, State, Item}, instead of the bare state. (So a state shaped
('ok', _, item) must be wrapped too.)

Any callback may be an `async def` method (it may then await calls to other
servers, as an OTP callback may block); the server handles its next message
when it returns. A callback that raises crashes the server: terminate runs
with the exception as reason, the server exits with it (one crash report)
and a caller waiting for a reply gets that reason. A wrong return crashes it
with ('bad_return_value', value).

Functions: start, start_link, call, cast, reply, stop; and from gen.py,
suspend, resume, get_state and change_code (OTP's sys), CallExit and Error.
"""
from runtime import gen
from runtime.api import self_pid
from runtime.compat import is_coroutine
from runtime.gen import (CALL, CAST, SYSTEM, CallExit, Error, change_code,  # noqa: F401
                         get_state, reply, resume, suspend)
from runtime.logger import describe, log
from runtime.terms import TIMEOUT, ProcessExit
from runtime.traps import hibernate, receive


class GenServer:
    """Subclass this and write the callbacks (see the module docstring)."""

    def init(self, arg):
        return arg

    def handle_info(self, msg, state):
        log("warning", "gen_server %r (%s) got an unexpected message: %s"
            % (self_pid(), type(self).__name__, describe(msg)))
        return ("noreply", state)

    def terminate(self, reason, state):
        pass

    def code_change(self, old_vsn, state, extra):
        return state


# The server process -----------------------------------------------------

async def _serve(cls, arg, starter, link):
    s = _Server(None, starter if link else self_pid())
    result = await gen.run_init(starter, _accepted, _init, s, cls, arg)
    if _init_extra(result):
        s.state = result[1]
        _then(s, result, 2)
    else:
        s.state = result
    await _loop(s)


async def _loop(s):
    """Handle messages until the server ends. To hibernate, it leaves
    this coroutine and the one that called it (hibernation.py) for a new
    call of itself."""
    while True:
        try:
            if s.cont is not _NONE:
                await _continue(s)
                continue
            if s.hibernate:
                break
            timeout = s.timeout  # (a call without keywords is the cheaper one)
            await _handle(s, await (receive() if timeout is None else receive(timeout=timeout)))
        except (Exception, ProcessExit) as e:
            await s.crashed(e)
            raise
    s.hibernate = False
    await hibernate(_loop, s)  # all the hibernating server holds: _loop and s


def _init(s, cls, arg):
    s.cb = cls()
    return s.cb.init(arg)


def _accepted(state):
    """Any init result but ('stop', ...) and ('ignore', ...) is the state."""
    return not (type(state) is tuple and state and type(state[0]) is str
                and (state[0] == "stop" or state[0] == "ignore"))


def _init_extra(result):
    """True if init returned ('ok', state, timeout | 'hibernate' |
    ('continue', term)), OTP's {ok, State, _}, rather than the bare state."""
    return type(result) is tuple and len(result) == 3 and type(result[0]) is str \
        and result[0] == "ok" and _is_extra(result[2])


def _is_extra(item):
    """True if `item` is a last item _then acts on ('infinity' included)."""
    if type(item) is int:
        return item >= 0
    if type(item) is str:
        return item == "hibernate" or item == "infinity"
    return type(item) is tuple and len(item) == 2 and item[0] == "continue"


# The functions (their contracts: gen.behaviour).
start, start_link, call, cast, stop, _check_class = gen.behaviour(
    "gen_server", _serve, GenServer, 5000)


_NONE = object()  # no continue pending


class _Server(gen.Server):
    state = None
    timeout = None     # ms the server waits for a message before 'timeout'
    cont = _NONE       # the term of a ('continue', term) to run next
    hibernate = False  # hibernate before waiting for the next message

    def get_state(self):
        return self.state

    def change_code(self, cls, old_vsn, extra):
        _check_class(cls)
        cb = cls()
        self.state = cb.code_change(old_vsn, self.state, extra)
        self.cb = cb

    def call_terminate(self, reason):
        return self.cb.terminate(reason, self.state)


def _then(s, result, n):
    """Act on the last item of `result` that has `n` items without it (a
    timeout, 'hibernate' or ('continue', term)), if it has one."""
    s.timeout = None
    if len(result) == n:
        return
    item = result[n]
    if not _is_extra(item):
        raise ProcessExit(("bad_return_value", result))
    if type(item) is int:
        s.timeout = item
    elif item == "hibernate":
        s.hibernate = True
    elif type(item) is tuple:
        s.cont = item[1]


async def _continue(s):
    """Run handle_continue for the pending ('continue', term), before any
    message. A callback class without it crashes the server, as OTP's
    undefined function does."""
    cont = s.cont
    s.cont = _NONE
    handler = getattr(s.cb, "handle_continue", None)
    if handler is None:
        raise ProcessExit(("undef", [(type(s.cb).__name__, "handle_continue", [cont, s.state])]))
    result = handler(cont, s.state)
    if is_coroutine(result):
        result = await result
    if not _noreply(s, result):
        await _stop(s, result)


async def _handle(s, msg):
    """Hand `msg` to its callback and act on what it returns: the new state
    (and timeout, hibernate or continue), or terminate (which raises
    ProcessExit)."""
    cb = s.cb
    kind = type(msg) is tuple and len(msg)
    call = kind == 3 and msg[0] == CALL
    if call:
        result = cb.handle_call(msg[2], msg[1], s.state)
    elif kind == 2 and msg[0] == CAST:
        result = cb.handle_cast(msg[1], s.state)
    elif kind == 3 and msg[0] == SYSTEM:
        await s.system(msg[1], msg[2])
        return
    elif kind == 3 and msg[0] == "EXIT" and msg[1] is s.parent:
        await s.terminate(msg[2])
    else:
        result = cb.handle_info("timeout" if msg is TIMEOUT else msg, s.state)
    if type(result) is not tuple and is_coroutine(result):  # (a tuple: no call)
        result = await result
    if call:  # the shapes only handle_call may return
        n = type(result) is tuple and len(result)
        tag = n and result[0]
        if tag == "reply" and 3 <= n <= 4:
            s.state = result[2]
            _then(s, result, 3)
            reply(msg[1], result[1])
            return
        if tag == "stop" and n == 4:
            s.state = result[3]
            await s.run_terminate(result[1])
            reply(msg[1], result[2])
            raise ProcessExit(result[1])
    if not _noreply(s, result):
        await _stop(s, result)


def _noreply(s, result):
    """Act on a ('noreply', state, ...) result; False if it is not one. (Not
    a coroutine: the common return of every cast and info needs no await.)"""
    n = type(result) is tuple and len(result)
    if n and result[0] == "noreply" and 2 <= n <= 3:
        s.state = result[1]
        if n == 2:
            s.timeout = None  # (what _then does for it, without the call)
        else:
            _then(s, result, 2)
        return True
    return False


async def _stop(s, result):
    """Act on a ('stop', reason, state) result, or crash on a bad one."""
    if type(result) is tuple and len(result) == 3 and result[0] == "stop":
        s.state = result[2]
        await s.terminate(result[1])
    raise ProcessExit(("bad_return_value", result))
