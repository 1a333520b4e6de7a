"""The process API: spawning, messages, links, monitors, exits, names, timers
and introspection, with Erlang's semantics (see API.md, `runtime`).

Callable outside any process (at the REPL, or in a script before run()):
spawn, send, exit(pid, reason), register, unregister, whereis, registered,
send_after, start_timer, cancel_timer, read_timer, processes, process_info, run, step and evaluate.
The others act on the calling process and raise RuntimeError outside one.
"""

from runtime import lifecycle, links, monitors, registry, signals, timers
from runtime.compat import WORD, is_coroutine
from runtime.isolation import SHARED, copy_term
from runtime.limits import limits, set_limits  # noqa: F401 (part of the API)
from runtime.process import EXITING, PRIORITIES, RUNNABLE
from runtime.receive import deliver
from runtime.scheduler import SCHEDULER, SLICE_MS, idle
from runtime.terms import Pid, ProcessExit, Ref, node_name
from runtime.timers import SEND, TARGET, us_of

_S = SCHEDULER
_MISSING = object()


def _me(what):
    p = _S.current
    if p is None:
        raise RuntimeError("%s must be called from a process" % what)
    return p


def _send_to_name_at(dest, message):
    """send to (name, node)."""
    if not _is_remote_name(dest):
        send(dest[0], message)
        return
    me = _S.current
    _S.remote.send_name(_S, None if me is None else me.pid, dest[0], dest[1], message)


def _is_remote_name(dest):
    """True if (name, node) `dest` names another node than this one."""
    return type(dest[1]) is str and dest[1] != node_name()


def _pid(value, what):
    if type(value) is not Pid:
        raise TypeError("%s needs a Pid, got %r" % (what, value))
    return value


# Processes and messages ------------------------------------------------

def spawn(fn, *args):
    """Start a process running `await fn(*args)`; return its Pid. The
    arguments are isolated like a message. Raises SystemLimit when as many
    processes live as runtime.limits() allows."""
    return lifecycle.spawn(_S, fn, args, False, False, "normal", None, None)


def spawn_link(fn, *args):
    """spawn, linked to the calling process in the same step."""
    return lifecycle.spawn(_S, fn, args, True, False, "normal", None, None)


def spawn_monitor(fn, *args):
    """spawn, monitored by the calling process; return (pid, ref)."""
    return lifecycle.spawn(_S, fn, args, False, True, "normal", None, None)


def spawn_opt(fn, args=(), link=False, monitor=False, priority="normal", name=None,
              max_queue=None):
    """spawn with options: link, monitor (then return (pid, ref)),
    priority ('high', 'normal', 'low'), a name to register it under, and
    max_queue: the most messages its mailbox may hold (default:
    runtime.limits()['max_queue']); a message past that kills it with
    ('max_queue', max_queue)."""
    return lifecycle.spawn(_S, fn, args, link, monitor, priority, name, max_queue)


def self_pid():
    """The calling process's Pid."""
    return _me("self_pid()").pid


def send(dest, message):
    """Send `message` to `dest`: a Pid (of this node or another), a
    registered name, or (name, node). Sending to a process that has exited
    does nothing; to a name nobody holds here raises ValueError. Mutable
    parts of the message are copied (isolation.py)."""
    _S.reds += 1
    if type(dest) is Pid:
        p = dest._proc
        if p is not None:
            if type(message) not in SHARED:
                message = copy_term(message)
            deliver(_S, p, message)
            return
    _send_elsewhere(dest, message)


def _send_elsewhere(dest, message):
    """send to anything but a live process's Pid (send counted it)."""
    kind = type(dest)
    if kind is Pid:
        if dest._node is not None:
            _S.remote.send(_S, dest, message)
        return
    if kind is tuple and len(dest) == 2 and type(dest[0]) is str:
        _send_to_name_at(dest, message)
        return
    if kind is not str:
        raise TypeError("send: dest must be a Pid, a registered name or (name, node), got %r"
                        % (dest,))
    p = registry.lookup(_S, dest)
    if p is None:
        raise ValueError("send: no process is registered as %r" % dest)
    if type(message) not in SHARED:
        message = copy_term(message)
    deliver(_S, p, message)


try:
    # Our firmware's (firmware/record.c): the first branch of send in C.
    from _runtime import Sender
    send = Sender(_S, copy_term, _send_elsewhere)  # noqa: F811
except ImportError:
    pass


# Links, monitors, exits --------------------------------------------------

def link(pid):
    """Link the calling process and `pid`. If `pid` has already exited, a
    process trapping exits gets ('EXIT', pid, 'noproc'); any other exits with
    reason 'noproc' (OTP's is {noproc, Stack}: reasons here carry no Erlang
    stack trace)."""
    me = _me("link()")
    _pid(pid, "link")
    if pid is me.pid or not links.add(me, pid):
        return
    signals.signal(_S, pid, signals.LINK, me.pid)
    if me.status is EXITING:
        raise ProcessExit(me.result)


def unlink(pid):
    """Remove the link between the calling process and `pid`, if any. An
    ('EXIT', pid, _) already queued stays queued."""
    me = _me("unlink()")
    _pid(pid, "unlink")
    if links.remove(me, pid):
        signals.signal(_S, pid, signals.UNLINK, me.pid)


def monitor(target):
    """Monitor `target` (a Pid, a registered name or (name, node)); return a
    Ref. When it exits, or at once if it does not exist ('noproc'), the
    caller gets ('DOWN', ref, 'process', who, reason): who is the Pid, or
    for a name, (name, node) as in OTP."""
    me = _me("monitor()")
    if type(target) is tuple and len(target) == 2 and type(target[0]) is str:
        if _is_remote_name(target):
            ref = Ref()
            monitors.start(me, ref)
            _S.remote.monitor(_S, me.pid, target, ref)
            return ref
        target = target[0]  # (name, this node)
    ref = Ref()
    if type(target) is str:
        holder = registry.lookup(_S, target)
        pid = None if holder is None else holder.pid
        ref.named = (target, node_name())
    else:
        pid = _pid(target, "monitor")
    _S.reds += 1
    monitors.start(me, ref)
    if pid is None:
        monitors.down_at_once(_S, ref, target, "noproc")
    else:
        signals.signal(_S, pid, signals.MONITOR, me.pid, ref)
    return ref


def demonitor(ref, flush=False):
    """Turn monitor `ref` off; with flush=True also remove its DOWN message if
    one is already queued. Returns True."""
    me = _me("demonitor()")
    if type(ref) is not Ref:
        raise TypeError("demonitor needs a monitor Ref, got %r" % (ref,))
    if ref.watcher is me:
        target = ref.target
        monitors.end(ref)
        if target is not None:
            ref.target = None
            signals.signal(_S, target.pid, signals.DEMONITOR, me.pid, ref)
        elif ref.away is not None:
            _S.remote.demonitor(_S, me.pid, ref)
    if flush:
        me.remove_down(ref)
    return True


def exit(pid, reason=_MISSING):
    """exit(reason): end the calling process with `reason` (raises
    ProcessExit, which `finally` blocks see).
    exit(pid, reason): send `pid` an exit signal: 'kill' always kills it (it
    exits with 'killed'); a process trapping exits gets
    ('EXIT', sender, reason); 'normal' is ignored unless pid is the caller;
    any other reason ends it with that reason. Outside a process the sender
    is None."""
    me = _S.current
    if reason is _MISSING:
        if me is None:
            raise RuntimeError("exit(reason) must be called from a process; "
                               "use exit(pid, reason) to signal one")
        raise ProcessExit(copy_term(pid))
    _pid(pid, "exit")
    signals.signal(_S, pid, signals.EXIT, None if me is None else me.pid, copy_term(reason))
    if me is not None and me.status is EXITING:
        raise ProcessExit(me.result)


def trap_exit(flag):
    """Turn exit signals into ('EXIT', pid, reason) messages for the calling
    process (except 'kill'); return the previous setting."""
    me = _me("trap_exit()")
    previous = me.trap_exit
    if bool(flag) is not previous:
        me.trap_exit = bool(flag)
    return previous


# Names ----------------------------------------------------------------

def register(name, pid):
    """Register live process `pid` under `name` (a str). ValueError if the
    name is taken, the process has a name already, or it has exited."""
    p = _pid(pid, "register")._proc
    if p is None:
        raise ValueError("register: %r is not alive" % (pid,))
    registry.register(_S, name, p)


def unregister(name):
    """Remove the registered name `name`; ValueError if nobody holds it."""
    registry.unregister(_S, name)


def whereis(name):
    """The Pid registered as `name`, or None."""
    p = registry.lookup(_S, name)
    return None if p is None else p.pid


def registered():
    """The registered names, sorted."""
    return registry.registered(_S)


# Timers ----------------------------------------------------------------

def send_after(ms, dest, message):
    """Send `message` to `dest` (a Pid, or a name looked up when the timer
    fires; no error if nobody holds it then) after `ms` ms; return a Ref for
    cancel_timer and read_timer. The message is isolated now. As OTP ties a
    timer to the Pid it sends to, a timer aimed at a process that has
    exited, or exits before it fires, is cancelled (read_timer and
    cancel_timer then say False)."""
    return _timer(ms, dest, message, False)


def start_timer(ms, dest, message):
    """send_after, but what `dest` gets is ('timeout', ref, message), ref
    being the Ref returned (erlang:start_timer)."""
    return _timer(ms, dest, message, True)


def _timer(ms, dest, message, tagged):
    us = us_of(ms, "start_timer time" if tagged else "send_after time")  # (no string made per call)
    kind = type(dest)
    if kind is not Pid and kind is not str:
        raise TypeError("%s: dest must be a Pid or a registered name, got %r"
                        % ("start_timer" if tagged else "send_after", dest))
    ref = Ref()
    if kind is Pid and dest._proc is None:
        return ref  # cancelled already: its target has exited
    message = copy_term(message)
    entry = _S.timers.add(us, SEND, dest, ("timeout", ref, message) if tagged else message)
    if kind is Pid:
        timers.aimed_at(dest._proc, entry)
    ref.timer = entry
    return ref


def cancel_timer(ref):
    """Cancel a send_after or start_timer timer; return the ms it had left,
    or False if it had fired or was cancelled already (or `ref` names no
    timer)."""
    if type(ref) is not Ref:
        raise TypeError("cancel_timer needs the Ref send_after returned, got %r" % (ref,))
    entry = ref.timer
    if entry is None:
        return False
    ref.timer = None
    target = entry[TARGET]
    if type(target) is Pid and target._proc is not None:
        timers.missed_by(target._proc, entry)
    return _ms_left(_S.timers.cancel(entry))


def read_timer(ref):
    """The ms a send_after or start_timer timer has left, or False if it
    has fired or was cancelled (or `ref` names no timer)."""
    if type(ref) is not Ref:
        raise TypeError("read_timer needs the Ref send_after returned, got %r" % (ref,))
    entry = ref.timer
    return False if entry is None else _ms_left(_S.timers.left(entry))


def _ms_left(us):
    """A timer's us left as the whole ms cancel_timer and read_timer answer
    (rounded up), or False for None (it fired or was cancelled)."""
    return False if us is None else (us + 999) // 1000


# Interrupt sources ------------------------------------------------------

def claim(source):
    """Make the calling process the owner of libos interrupt source `source`:
    each event becomes the message ('event', source, value). Released when
    the owner exits. ValueError if another process owns it."""
    _S.sources.claim(_me("claim()"), source)


def release(source):
    """Give up a source the calling process claimed."""
    _S.sources.release(_me("release()"), source)


# Introspection ----------------------------------------------------------

# The fixed cost of a process, in words: its record and Pid (objects with
# their attribute tables), a small suspended coroutine and its slot in the
# process table. Measured as the heap per process waiting in receive, the
# same in words on the 64-bit posix firmware and the 32-bit mps2-an385: 39.1
# words for 500 processes, 39.5 for 1,000 (the bench's idle_bytes: 316 and
# 158 bytes).
_FIXED_WORDS = 39


def processes():
    """The Pids of all live processes, oldest first."""
    return [p.pid for p in _S.table.records()]


def process_info(pid):
    """A dict describing live process `pid`, or None if it has exited:
    status ('running', 'runnable', 'waiting' or 'exiting'),
    message_queue_len, links, monitors (('process', pid) pairs it holds;
    ('process', (name, node)) for a monitor by name, as OTP),
    monitored_by, trap_exit, priority, reductions, registered_name,
    initial_call (the function's name) and memory: an estimate in bytes,
    the fixed cost of a process (_FIXED_WORDS) plus the slots of its mailbox,
    link and monitor lists; the messages themselves are not counted.
    It reads the process now, where OTP's process_info is a signal answered
    once the process has handled the signals sent to it before."""
    p = _pid(pid, "process_info")._proc
    if p is None:
        return None
    if p.status is EXITING:
        status = "exiting"
    elif p is _S.current:
        status = "running"
    elif p.status is RUNNABLE:
        status = "runnable"
    else:
        status = "waiting"
    words = _FIXED_WORDS
    # (A single link or watcher is held in the record itself: links.py,
    # monitors.py. Only lists take words of their own.)
    for items in (p.mailbox, p.links, p.watchers, p.monitoring, p.claims):
        if type(items) is list:
            words += 4 + len(items)
    reductions = p.reductions + (_S.reds if p is _S.current else 0)
    return {
        "status": status,
        "message_queue_len": p.queue_len(),
        "links": sorted(links.pids(p)),
        "monitors": [("process", ref.named or ref.target.pid) for ref in p.monitoring or ()
                     if ref.target is not None],
        "monitored_by": monitors.watcher_pids(p),
        "trap_exit": p.trap_exit,
        "priority": PRIORITIES[p.priority],
        "reductions": reductions,
        "registered_name": p.name,
        "initial_call": getattr(p.fn, "__name__", repr(p.fn)),
        "memory": words * WORD,
    }


# Running ----------------------------------------------------------------

def run(main, *args, slice_ms=SLICE_MS):
    """Run the system until the process running `await main(*args)` exits,
    and return its exit reason ('normal' if it returned). Each slice is armed
    with a budget of `slice_ms` (where libos has one; 0: none): a process that
    runs longer without awaiting exits with ('slice_exceeded', slice_ms).
    When main exits, every process still alive is killed, so the runtime is
    clean for the next run()."""
    return _S.run(main, args, slice_ms)


def evaluate(fn, *args):
    """From outside any process (the REPL, or a script next to a running
    system): run fn(*args), awaited if it is async, in a new process while
    the rest of the system keeps running; return its result, or raise what it
    raised. The REPL's way to talk to a server, as Erlang's shell does:
    evaluate(gen_server.call, 'counter', 'next'). Unlike run(), it leaves the
    other processes alone when it returns."""
    if _S.current is not None:
        raise RuntimeError("evaluate() is for code outside processes; a process awaits fn(*args)")
    outcome = []

    async def shell():
        try:
            value = fn(*args)
            if is_coroutine(value):
                value = await value
            outcome.append((True, value))
        except BaseException as e:
            outcome.append((False, e))

    pid = spawn(shell)
    try:
        while not outcome:
            wait = step()
            if not outcome and wait != 0:
                idle(wait)
    finally:
        if not outcome:  # interrupted (Ctrl-C): the shell process goes too
            exit(pid, "kill")
    ok, value = outcome[0]
    if ok:
        return value
    raise value


def step():
    """Run ready processes and due timers for one round without blocking;
    return 0 if processes are ready, else the microseconds until the next
    timer, else None. For a REPL that keeps the system alive while it waits
    for input (spawn from outside a process, then call step())."""
    return _S.step()
