"""What every behaviour shares (OTP's gen, proc_lib and sys, in one module):
the functions users call (`behaviour` makes start, start_link, call, cast
and stop for gen_server and gen_statem), a start that returns once the new
process's init has run (`run_init` is its other half, in the new process),
calls that wait for a reply, and system messages that suspend a server,
change its code, read its state or stop it.

Start. `start` spawns the behaviour's process (registered under its name
before init runs, as OTP), monitored, and waits for its answer: `init_ack`
when init went through, `init_fail` when it did not; a process that dies
before answering gives its exit reason. On failure the new process unlinks
from its starter before it exits, so the starter hears of it once, as the
Error that start raises, not also as an exit signal.

Calls. The caller monitors the server and sends (tag, (caller, ref), request);
the monitor's Ref tags the call. The server answers with `reply`, as
(ref, value). The caller waits for that or the monitor's DOWN; on a timeout
it demonitors with flush. As OTP's aliases, a reply is only delivered while
the caller's monitor is on: one that comes after the caller gave up is
dropped, so it never reaches the caller's mailbox.

A failed call raises CallExit, a ProcessExit: uncaught, it ends the caller
with OTP's reason (why, (module, 'call', (server, request, timeout))) (OTP
lists the arguments, with the timeout only if the caller gave one: a
Python call has no arity to tell, so ours always names it), why
being 'noproc', 'timeout', 'calling_self', ('nodedown', node) when the
server's node cannot be reached or is lost, or the server's exit reason.
A server of another node is a Pid of it or (name, node); a call to one goes
as OTP's does (runtime.node), and erl's calls to ours come as ours do, with
OTP 25's tag [alias | Ref] in from_.

System messages ('system', from_, request), answered by `Server.system`:
'suspend' (only system messages are handled until 'resume'), 'resume',
'get_state', ('change_code', cls, old_vsn, extra) (only while suspended:
the server swaps its callback object for an instance of `cls`, whose
code_change converts the state) and ('terminate', reason), which `stop`
sends. The Python form of OTP's upgrade: suspend(server), load the new class
(import it, or define it at the REPL), change_code(server, NewClass, old_vsn,
extra), resume(server). It replaces the code of that one server; nothing
else is reloaded.

Two requests are ours, not OTP's, for runtime.code's upgrade:
'get_callback' (the callback object a server runs, whose class upgrade
looks up by name in the module's new version) and 'revert_code' (while
suspended: undo the last change_code, callback object and state, as
upgrade's rollback when another server's code_change failed).
"""
from libos import SliceExpired

from runtime.api import demonitor, monitor, self_pid, send, spawn_opt, unlink, whereis
from runtime.compat import is_coroutine
from runtime.logger import describe
from runtime.process import EXITING
from runtime.scheduler import SCHEDULER
from runtime.terms import ANY, TIMEOUT, Pid, ProcessExit, Ref, node_name
from runtime.timers import us_of
from runtime.traps import receive

CALL = "$gen_call"
CAST = "$gen_cast"
SYSTEM = "system"
_ACK = "$init_ack"


class CallExit(ProcessExit):
    """A call or stop that failed; `reason` is OTP's exit reason for it:
    for a call (why, (module, function, arguments)), for a stop the plain
    reason, as OTP's proc_lib:stop. Uncaught, it ends the caller."""

    def __str__(self):
        return describe(self.reason)


class Error(Exception):
    """An OTP {error, Reason} answer, raised: `reason` says what went wrong
    (init failed, a name is taken, a supervisor cannot do what was asked)."""

    @property
    def reason(self):
        return self.args[0]

    def __str__(self):
        return describe(self.reason)


def _timeout_ms(timeout):
    """A timeout argument: ms (a finite, non-negative number), or None for
    'infinity' (which None also means)."""
    if timeout is None or type(timeout) is str and timeout == "infinity":
        return None
    if type(timeout) is str:
        raise TypeError("timeout must be ms or 'infinity', got %r" % (timeout,))
    us_of(timeout, "timeout")
    return timeout


def resolve(server):
    """Where to reach `server` (a Pid, a registered name, or (name, node)):
    a Pid, or (name, node) of another node, or None when no process here
    holds the name."""
    kind = type(server)
    if kind is Pid:
        return server
    if kind is str:
        return whereis(server)
    if kind is tuple and len(server) == 2 and type(server[0]) is str and type(server[1]) is str:
        return whereis(server[0]) if server[1] == node_name() else server
    raise TypeError("a server is a Pid, a registered name or (name, node), got %r" % (server,))


def killed():
    """True while the calling process is being ended by an exit signal: the
    ProcessExit it sees was thrown by the scheduler, and no callback (not
    even terminate) runs then, as in OTP."""
    return SCHEDULER.current.status is EXITING


def exit_reason(e):
    """The exit reason `e` (an Exception, a ProcessExit or a SliceExpired)
    gives the process it ends."""
    if isinstance(e, ProcessExit):
        return e.reason
    if isinstance(e, SliceExpired):
        return SCHEDULER.slice_reason
    return e


# The functions of a behaviour -------------------------------------------

def behaviour(module, serve, base, call_timeout):
    """start, start_link, call, cast, stop and check_class for behaviour
    `module` ('gen_server', 'gen_statem'), whose process runs
    `serve(cls, arg, starter, link)` and whose callback classes subclass
    `base`; `call_timeout` is call's default (OTP's differ)."""
    def check_class(cls):
        if not isinstance(cls, type) or not issubclass(cls, base):
            raise TypeError("a %s needs a %s subclass, got %r" % (module, base.__name__, cls))

    async def start(cls, arg, name=None):
        """Start a server running the callbacks of `cls`, not linked; return
        its Pid once init(arg) has run (None if init asked to be ignored).
        `name` registers it before init runs. Raises Error(('already_started',
        pid)) if the name is taken, Error(reason) if init failed."""
        check_class(cls)
        return await start_process(serve, (cls, arg), name, False)

    async def start_link(cls, arg, name=None):
        """start, linked to the caller (its parent)."""
        check_class(cls)
        return await start_process(serve, (cls, arg), name, True)

    async def call_server(server, request, timeout=call_timeout):
        """Send `request` to `server` (a Pid or a registered name) and return
        its reply. Raises CallExit when the server does not exist ('noproc'),
        exits first (its reason), or does not reply within `timeout` ms
        ('timeout'; 'infinity' waits for ever)."""
        return await call(module, server, request, timeout)

    def cast(server, msg):
        """Send `msg` to `server` without waiting; a server that does not
        exist drops it silently, as OTP."""
        pid = resolve(server)
        if pid is not None:
            send(pid, (CAST, msg))

    async def stop_server(server, reason="normal", timeout="infinity"):
        """Make `server` run its terminate callback and exit with `reason`;
        return once it has exited. Raises CallExit with a plain reason (see
        stop)."""
        await stop(server, reason, timeout)

    return start, start_link, call_server, cast, stop_server, check_class


# Start ----------------------------------------------------------------

async def start_process(entry, args, name, link):
    """Spawn `entry(*args, starter, link)` (registered as `name`) and wait
    for its init; return its Pid, or None when init asked to be ignored.
    Raises Error(('already_started', pid)) if `name` is taken, and Error(reason)
    if init failed."""
    if name is not None:
        holder = whereis(name)
        if holder is not None:
            raise Error(("already_started", holder))
    starter = self_pid()
    pid, ref = spawn_opt(entry, args + (starter, link), link=link, monitor=True, name=name)
    answer = await receive((_ACK, pid, ANY), ("DOWN", ref, ANY, ANY, ANY))
    if answer[0] == _ACK:
        result = answer[2]
        if result == "ok":
            demonitor(ref, flush=True)
            return pid
        await receive(("DOWN", ref, ANY, ANY, ANY))  # it exits right after: its name is free
        if result == "ignore":
            return None
        raise Error(result[1])
    if link:  # it was killed before it could answer; a trapping starter got the EXIT too
        await receive(("EXIT", pid, ANY), timeout=0)
    raise Error(answer[4])


async def run_init(starter, accepted, init, *args):
    """The new process's half of a start: call init(*args) (its result may
    be a coroutine, then awaited) and tell the starter how it went. (A
    function and its args, not a closure: a closure and its cells would stay
    as long as the server, in the frame that made them.) Returns the
    result if accepted(result); else the process exits as OTP's does:
    ('ignore',) normally, ('stop', reason) with reason, anything else with
    ('bad_return_value', result). When init raises (a cut by the slice
    budget too), the starter is told before the process exits with it."""
    try:
        result = init(*args)
        if is_coroutine(result):
            result = await result
    except (Exception, ProcessExit, SliceExpired) as e:
        if not killed():
            _init_fail(starter, ("error", exit_reason(e)))
        raise
    if accepted(result):
        send(starter, (_ACK, self_pid(), "ok"))
        return result
    if type(result) is tuple and len(result) == 1 and result[0] == "ignore":
        _init_fail(starter, "ignore")
        raise ProcessExit("normal")
    stop = type(result) is tuple and len(result) == 2 and result[0] == "stop"
    reason = result[1] if stop else ("bad_return_value", result)
    _init_fail(starter, ("error", reason))
    raise ProcessExit(reason)


def _init_fail(starter, result):
    """Tell the starter that init did not go through: `result` is 'ignore'
    or ('error', reason). The caller exits next."""
    unlink(starter)
    send(starter, (_ACK, self_pid(), result))


# Calls ----------------------------------------------------------------

async def call(module, server, request, timeout, tag=CALL):
    """Send `request` to `server` and return its reply (see the module's
    docstring); raise CallExit when none comes."""
    ms = _timeout_ms(timeout)
    pid = resolve(server)
    where = (module, "call", (server, request, timeout))
    if pid is None:
        raise CallExit(("noproc", where))
    me = self_pid()
    if pid is me:
        raise CallExit(("calling_self", where))
    ref = monitor(pid)
    send(pid, (tag, (me, ref), request))
    answer = await receive((ref, ANY), ("DOWN", ref, ANY, ANY, ANY), timeout=ms)
    if answer is TIMEOUT:
        demonitor(ref, flush=True)
        raise CallExit(("timeout", where))
    if len(answer) == 2:
        demonitor(ref, flush=True)
        return answer[1]
    if answer[4] == "noconnection":  # as OTP's gen: the node is gone, or was never reached
        raise CallExit((("nodedown", pid.node if type(pid) is Pid else pid[1]), where))
    raise CallExit((answer[4], where))


def reply(from_, value):
    """Answer the call `from_` (as a callback got it) with `value`. Dropped
    if a caller of this node no longer waits. A caller of another node tags
    its call as it likes (OTP 25: [alias | Ref], an ImproperList here); the
    answer goes back as (tag, value) whatever the tag."""
    if type(from_) is not tuple or len(from_) != 2 or type(from_[0]) is not Pid:
        raise TypeError("reply needs the from_ a call handler got, got %r" % (from_,))
    pid, tag = from_
    if type(tag) is not Ref or tag._node is not None or tag.watcher is not None:
        send(pid, (tag, value))


async def stop(server, reason, timeout):
    """Ask `server` to run its terminate and exit with `reason`; return once
    it has. Raises CallExit with OTP's (proc_lib:stop's) plain reasons:
    'noproc' (no such server, or it is gone before it stops), 'timeout',
    or the reason it exited with if that was another."""
    ms = _timeout_ms(timeout)
    pid = resolve(server)
    if pid is None:
        raise CallExit("noproc")
    ref = monitor(pid)
    send(pid, (SYSTEM, (self_pid(), ref), ("terminate", reason)))
    down = await receive(("DOWN", ref, ANY, ANY, ANY), timeout=ms)
    if down is TIMEOUT:
        demonitor(ref, flush=True)
        raise CallExit("timeout")
    if down[4] != reason:
        raise CallExit(down[4])


# System messages: the caller's side ------------------------------------

async def _system(server, request, timeout):
    answer = await call("sys", server, request, timeout, SYSTEM)
    if answer[0] == "ok":
        return answer[1]
    raise Error(answer[1])


async def suspend(server, timeout=5000):
    """Suspend `server`: until resume, it handles only system messages."""
    await _system(server, "suspend", timeout)


async def resume(server, timeout=5000):
    """Let a suspended server go on."""
    await _system(server, "resume", timeout)


async def get_state(server, timeout=5000):
    """The state of `server` (a gen_statem's: (state, data))."""
    return await _system(server, "get_state", timeout)


async def change_code(server, cls, old_vsn, extra=None, timeout=5000):
    """Give suspended `server` the callback class `cls`; its code_change
    converts the state. Raises Error: 'not_suspended', or what went wrong."""
    await _system(server, ("change_code", cls, old_vsn, extra), timeout)


async def get_callback(server, timeout=5000):
    """The callback object `server` runs."""
    return await _system(server, "get_callback", timeout)


async def revert_code(server, timeout=5000):
    """Undo suspended `server`'s last change_code. Raises Error:
    'not_suspended', 'no_change'."""
    await _system(server, "revert_code", timeout)


# System messages: the server's side --------------------------------------

class Server:
    """A behaviour's running server: its callback object `cb` and `parent`
    (the starter when linked to it, else the server itself). A behaviour
    subclasses it with get_state(), change_code(cls, old_vsn, extra) and
    call_terminate(reason), which calls the terminate callback with the
    server's state and returns what it returns."""

    terminating = False  # terminate has begun: whatever it raises ends the server
    before_change = None  # the fields before the last change_code, for revert_code

    def __init__(self, cb, parent):
        self.cb = cb
        self.parent = parent
        self.suspended = False

    async def run_terminate(self, reason):
        self.terminating = True
        done = self.call_terminate(reason)
        if is_coroutine(done):
            await done

    async def terminate(self, reason):
        """Run the terminate callback, then end the process with `reason`."""
        await self.run_terminate(reason)
        raise ProcessExit(reason)

    async def crashed(self, e):
        """A callback raised `e`, which the caller raises again: run the
        terminate callback with its reason first, unless terminate is what
        raised or an exit signal is ending the process."""
        if not self.terminating and not killed():
            await self.run_terminate(exit_reason(e))

    async def system(self, from_, request):
        """Answer system message `request`; while suspended, go on answering
        them (other messages stay queued) until resumed."""
        while True:
            if request == "suspend" or request == "resume":
                self.suspended = request == "suspend"
                self.before_change = None  # a change is undone only before its resume
                reply(from_, ("ok", None))
            elif request == "get_state":
                reply(from_, ("ok", self.get_state()))
            elif type(request) is tuple and len(request) == 4 and request[0] == "change_code":
                if not self.suspended:
                    reply(from_, ("error", "not_suspended"))
                else:
                    self.before_change = None
                    before = dict(self.__dict__)  # every field change_code may set
                    try:
                        self.change_code(request[1], request[2], request[3])
                        self.before_change = before
                        reply(from_, ("ok", None))
                    except Exception as e:
                        reply(from_, ("error", e))
            elif request == "get_callback":
                reply(from_, ("ok", self.cb))
            elif request == "revert_code":
                if not self.suspended or self.before_change is None:
                    reply(from_, ("error", "not_suspended" if not self.suspended else "no_change"))
                else:
                    for key, value in self.before_change.items():
                        setattr(self, key, value)
                    self.before_change = None
                    reply(from_, ("ok", None))
            elif type(request) is tuple and len(request) == 2 and request[0] == "terminate":
                await self.terminate(request[1])
            else:
                reply(from_, ("error", ("unknown_system_msg", request)))
            if not self.suspended:
                return
            message = await receive((SYSTEM, ANY, ANY), ("EXIT", self.parent, ANY))
            if message[0] == "EXIT":
                await self.terminate(message[2])
            from_, request = message[1], message[2]
