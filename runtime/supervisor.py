"""supervisor: a process that starts children, watches them and restarts
them by a strategy, as OTP's. It is itself a gen_server callback module
(Supervisor below); this module's functions are calls to it.

What the user gives: child specs, dicts with OTP's keys

    id        any hashable term naming the child (required)
    start     (function, args) (required): function(*args), plain or async
              (then awaited), starts a process linked to the caller and
              returns its Pid, or None to be ignored (OTP's ignore); e.g.
              (spawn_link, (worker, 1)) or (gen_server.start_link, (Counter, 0))
    restart   'permanent' (default): always restarted; 'transient': restarted
              only after an abnormal exit (not 'normal', 'shutdown' or
              ('shutdown', term)); 'temporary': never restarted
    shutdown  how it is stopped: 'brutal_kill' (exit signal 'kill'), ms
              (exit signal 'shutdown', then 'kill' if it has not exited
              within that time) or 'infinity' (wait for ever); default 5000
              for a worker, 'infinity' for a supervisor
    type      'worker' (default) or 'supervisor'
    modules   list shown by which_children; default [what the start
              function is given first (the class of a gen_server, the
              function of a process) if callable, else the start function]
    significant  True or False (default): whether its end may end the
              supervisor (auto_shutdown); only a 'transient' or 'temporary'
              child may be significant

and the flags: strategy (DEFAULT_STRATEGY), intensity (DEFAULT_INTENSITY),
period in seconds (DEFAULT_PERIOD) and auto_shutdown (OTP 24's):
    'never'            (default) significant children are not allowed
    'any_significant'  the supervisor shuts down (stops its children and
                       exits with 'shutdown') when a significant child
                       ends by itself and is not restarted: a temporary
                       one however it ends, a transient one normally
    'all_significant'  the same, once no significant child is left running
Ending a child with terminate_child never triggers it, as in OTP. Each
field and flag is checked by its own validator; a bad one raises ValueError
or TypeError naming the field and the value (and OTP's reason, where it
has one: invalid_significant, bad_combination, invalid_auto_shutdown).

Strategies, when a child exits and is to be restarted:
    one_for_one         restart it
    one_for_all         stop the others (in reverse start order), restart all
    rest_for_one        stop those started after it, restart it and them
    simple_one_for_one  one spec as a template; start_child(sup, args)
                        starts a child with the template's args + args;
                        children are restarted one for one
More than `intensity` restarts within `period` seconds: the supervisor
stops its children and exits with 'shutdown', so that its own supervisor
acts. Children start in order and stop in reverse order. A start that
fails (raises, returns something other than a Pid or None, or its init
fails) makes start_link raise Error(('shutdown', ('failed_to_start_child',
id, reason))) once the children already started are stopped; a restart that
fails is tried again, counted as a restart.

which_children lists the children in start order (OTP's order is not
documented; it gives the newest first) and count_children answers a dict
of OTP's four counts (OTP: a list of pairs), as a Python caller reads them.

Reports (logger.py): child_started, child_restarted, child_terminated,
start_error, shutdown_error, shutdown.
"""
import libos

from runtime import gen, gen_server
from runtime.api import exit, monitor, self_pid, trap_exit, unlink
from runtime.compat import is_coroutine
from runtime.gen import CallExit, Error  # noqa: F401 (the errors of this module's calls)
from runtime.logger import records, supervisor_report
from runtime.terms import ANY, TIMEOUT, Pid, ProcessExit
from runtime.traps import checkpoint, receive
from runtime.versions import latest_args

STRATEGIES = ("one_for_one", "one_for_all", "rest_for_one", "simple_one_for_one")
RESTARTS = ("permanent", "transient", "temporary")
TYPES = ("worker", "supervisor")
AUTO_SHUTDOWNS = ("never", "any_significant", "all_significant")
DEFAULT_STRATEGY = "one_for_one"
DEFAULT_INTENSITY = 1
DEFAULT_PERIOD = 5        # seconds
WORKER_SHUTDOWN = 5000    # ms a worker gets to exit after 'shutdown', as OTP


# The functions: calls to a supervisor ----------------------------------------

async def start_link(children, strategy=DEFAULT_STRATEGY, intensity=DEFAULT_INTENSITY,
                     period=DEFAULT_PERIOD, name=None, auto_shutdown="never"):
    """Start a supervisor linked to the caller, registered as `name` if
    given; return its Pid once every child has started, in order."""
    flags = (_strategy(strategy), _intensity(intensity), _period(period),
             _auto_shutdown(auto_shutdown))
    if type(children) is not list and type(children) is not tuple:
        raise TypeError("children must be a list of child specs, got %r" % (children,))
    specs = []
    seen = set()
    for spec in children:
        spec = _child_spec(spec, auto_shutdown)
        if spec.id in seen:
            raise ValueError("child spec field 'id': %r is used twice" % (spec.id,))
        seen.add(spec.id)
        specs.append(spec)
        await checkpoint()  # a thousand specs take longer than a slice on a board
    if strategy == "simple_one_for_one" and len(specs) != 1:
        raise ValueError("a simple_one_for_one supervisor needs exactly one child spec, "
                         "got %d" % len(specs))
    return await gen_server.start_link(Supervisor, (specs, flags, name), name)


async def start_child(sup, spec):
    """Add a child and start it; return its Pid (None if it asked to be
    ignored). `spec` is a child spec, or for simple_one_for_one the extra
    args (a list or tuple). Raises Error: ('already_started', pid),
    'already_present', or why it could not start."""
    return await _ask(sup, ("start_child", spec))


async def terminate_child(sup, child):
    """Stop the child with id `child` (its spec stays, unless temporary);
    for simple_one_for_one, `child` is its Pid. Raises Error('not_found')."""
    await _ask(sup, ("terminate_child", child))


async def restart_child(sup, child_id):
    """Start again the stopped child `child_id`; return its Pid. Raises Error:
    'running', 'restarting', 'not_found', or why it could not start."""
    return await _ask(sup, ("restart_child", child_id))


async def delete_child(sup, child_id):
    """Forget the stopped child `child_id`. Raises Error: 'running',
    'restarting' or 'not_found'."""
    await _ask(sup, ("delete_child", child_id))


async def which_children(sup):
    """[(id, pid, type, modules)] in start order; pid is None when the child
    is not running and 'restarting' while a failed restart waits to be
    tried again; id is None for simple_one_for_one children."""
    return await _ask(sup, "which_children")


async def count_children(sup):
    """{'specs', 'active', 'supervisors', 'workers'}: as OTP's."""
    return await _ask(sup, "count_children")


async def _ask(sup, request):
    answer = await gen_server.call(sup, request, "infinity")
    if answer[0] == "ok":
        return answer[1]
    if answer[0] == "raise":  # a bad child spec: the caller's error
        raise answer[1](answer[2])
    raise Error(answer[1])


# Child specs: one validator per field -----------------------------------------

def _bad(field, value, what):
    return "child spec field %r must be %s, got %r" % (field, what, value)


def _id(value):
    try:
        hash(value)
    except TypeError:
        raise TypeError(_bad("id", value, "hashable (a str, an int, a tuple...)"))
    return value


def _start(value):
    if type(value) is not tuple and type(value) is not list or len(value) != 2 \
            or not callable(value[0]) or type(value[1]) is not tuple and type(value[1]) is not list:
        raise TypeError(_bad("start", value, "(function, args)"))
    return (value[0], tuple(value[1]))


def _restart(value):
    if value not in RESTARTS:
        raise ValueError(_bad("restart", value, "one of " + ", ".join(RESTARTS)))
    return value


def _shutdown(value):
    if value == "brutal_kill" or value == "infinity":
        return value
    if type(value) is not int or value < 0:
        raise ValueError(_bad("shutdown", value, "'brutal_kill', 'infinity' or ms (an int >= 0)"))
    return value


def _type(value):
    if value not in TYPES:
        raise ValueError(_bad("type", value, "one of " + ", ".join(TYPES)))
    return value


def _significant(value):
    if value is not True and value is not False:
        raise ValueError(_bad("significant", value, "True or False (invalid_significant)"))
    return value


def _modules(value):
    if value != "dynamic" and type(value) is not list and type(value) is not tuple:
        raise TypeError(_bad("modules", value, "a list or 'dynamic'"))
    return value if type(value) is str else list(value)


_FIELDS = {"id": _id, "start": _start, "restart": _restart, "shutdown": _shutdown,
           "type": _type, "modules": _modules, "significant": _significant}
_FIELD_ORDER = ("id", "start", "restart", "shutdown", "type", "modules", "significant")


class Child:
    """A validated child spec and the process running it."""

    restart = "permanent"
    type = "worker"
    significant = False
    modules = None  # as given; module_list() makes the default
    extra = ()  # simple_one_for_one: the args start_child added
    pid = None  # its Pid; None when not running; 'restarting' between tries

    def __init__(self, fields):
        for key in fields:
            setattr(self, key, fields[key])
        if "shutdown" not in fields:
            self.shutdown = "infinity" if self.type == "supervisor" else WORKER_SHUTDOWN

    def module_list(self):
        """`modules` as the spec gave it, or OTP's default: the start
        function's first argument if callable (a server's class), else the
        function. Made when asked: a list kept per child costs 32 bytes."""
        if self.modules is not None:
            return self.modules
        fn, args = self.start
        return [args[0] if args and callable(args[0]) else fn]

    def dynamic(self, extra):
        """A child started from this template with `extra` args."""
        child = Child({key: getattr(self, key) for key in _FIELD_ORDER})
        child.extra = extra
        return child


def _child_spec(spec, auto_shutdown):
    """The Child of `spec`, checked, for a supervisor whose flag is
    `auto_shutdown` (a significant child needs one that is not 'never')."""
    if type(spec) is not dict:
        raise TypeError("a child spec is a dict with the keys %s, got %r"
                        % (", ".join(_FIELD_ORDER), spec))
    for key in spec:
        if key not in _FIELDS:
            raise ValueError("child spec has an unknown field %r; the fields are %s"
                             % (key, ", ".join(_FIELD_ORDER)))
    for key in ("id", "start"):
        if key not in spec:
            raise ValueError("child spec lacks the field %r: %r" % (key, spec))
    child = Child({key: _FIELDS[key](spec[key]) for key in _FIELD_ORDER if key in spec})
    if child.significant and child.restart == "permanent":
        raise ValueError("child spec %r: a significant child must be 'transient' or "
                         "'temporary', not 'permanent' (bad_combination)" % (child.id,))
    if child.significant and auto_shutdown == "never":
        raise ValueError("child spec %r is significant, but the supervisor's auto_shutdown "
                         "is 'never' (bad_combination)" % (child.id,))
    return child


def _strategy(value):
    if value not in STRATEGIES:
        raise ValueError("supervisor strategy must be one of %s, got %r"
                         % (", ".join(STRATEGIES), value))
    return value


def _auto_shutdown(value):
    if value not in AUTO_SHUTDOWNS:
        raise ValueError("supervisor auto_shutdown must be one of %s, got %r "
                         "(invalid_auto_shutdown)" % (", ".join(AUTO_SHUTDOWNS), value))
    return value


def _intensity(value):
    if type(value) is not int or value < 0:
        raise ValueError("supervisor intensity must be an int >= 0, got %r" % (value,))
    return value


def _period(value):
    if type(value) is not int and type(value) is not float or value <= 0:
        raise ValueError("supervisor period must be a number of seconds > 0, got %r" % (value,))
    return value


def _normal(reason):
    """Exit reasons after which a transient child is not restarted. (A
    reason can be any object: only str items are compared.)"""
    if type(reason) is str:
        return reason == "normal" or reason == "shutdown"
    return type(reason) is tuple and len(reason) == 2 and type(reason[0]) is str \
        and reason[0] == "shutdown"


# The supervisor process --------------------------------------------------------

class Supervisor(gen_server.GenServer):
    """The callback module; its state is a _Sup."""

    async def init(self, arg):
        specs, flags, name = arg
        trap_exit(True)
        sup = _Sup(specs, flags, name)
        if sup.strategy == "simple_one_for_one":
            return sup
        for child in specs:
            await checkpoint()
            try:
                await sup.launch(child, "child_started")
            except Error as e:
                sup.children.remove(child)
                await sup.stop_all()
                return ("stop", ("shutdown", ("failed_to_start_child", child.id, e.reason)))
        return sup

    async def handle_call(self, request, from_, sup):
        if type(request) is tuple and len(request) == 2:
            kind, arg = request
            if kind == "start_child":
                answer = await sup.start_child(arg)
            elif kind == "terminate_child":
                answer = await sup.terminate_child(arg)
            elif kind == "restart_child" or kind == "delete_child":
                child, answer = sup.stopped(arg)
                if child is not None and kind == "restart_child":
                    answer = await sup.restart_child(child)
                elif child is not None:
                    sup.children.remove(child)
                    answer = ("ok", None)
            else:
                answer = ("error", ("unknown_call", request))
        elif request == "which_children":
            simple = sup.strategy == "simple_one_for_one"
            answer = ("ok", [(None if simple else c.id, c.pid, c.type, c.module_list())
                             for c in sup.children])
        elif request == "count_children":
            answer = ("ok", sup.count())
        else:
            answer = ("error", ("unknown_call", request))
        return ("reply", answer, sup)

    async def handle_cast(self, msg, sup):
        if type(msg) is tuple and len(msg) == 2 and msg[0] == "try_again_restart":
            child = msg[1]
            if child in sup.children and child.pid == "restarting":
                return await sup.restart(child)
            return ("noreply", sup)
        return self.handle_info(("$gen_cast", msg), sup)  # logged as unexpected

    def handle_info(self, msg, sup):
        # Not async, nor is child_exited: gen_server awaits the restart's
        # coroutine that they return, two coroutines fewer per restart.
        if type(msg) is tuple and len(msg) == 3 and msg[0] == "EXIT":
            child = sup.find_pid(msg[1])
            if child is not None:
                return sup.child_exited(child, msg[2])
            return ("noreply", sup)  # a process it no longer supervises
        return super().handle_info(msg, sup)

    async def terminate(self, reason, sup):
        await sup.stop_all()


class _Sup:
    """A supervisor's state: its flags and children, and what it does to them."""

    def __init__(self, specs, flags, name):
        self.strategy, self.intensity, period, self.auto_shutdown = flags
        self.period_ms = int(period * 1000)
        self.name = name
        self.pid = self_pid()
        self.restarts = []  # libos.ticks_ms() of the restarts within the period
        if self.strategy == "simple_one_for_one":
            self.template = specs[0]
            self.children = []
        else:
            self.children = list(specs)  # in start order

    def report(self, level, event, child=None, reason=None):
        # (A restart's two reports are guarded by records() where they are
        # made: with the logger off they cost no call at all.)
        supervisor_report(level, self.pid, self.name, event,
                          None if child is None else (child.id, child.pid), reason)

    def find_pid(self, pid):
        for child in self.children:
            if child.pid is pid:
                return child
        return None

    def find(self, child_id):
        for child in self.children:
            if child.id == child_id:
                return child
        return None

    def count(self):
        active = supervisors = 0
        for child in self.children:
            if type(child.pid) is Pid:
                active += 1
            if child.type == "supervisor":
                supervisors += 1
        specs = 1 if self.strategy == "simple_one_for_one" else len(self.children)
        return {"specs": specs, "active": active, "supervisors": supervisors,
                "workers": len(self.children) - supervisors}

    async def launch(self, child, event):
        """Start `child` (already in `children`) and report `event`; raise
        Error(reason) if it could not be started."""
        fn, args = child.start
        if child.extra:
            args = args + child.extra
        try:
            # The classes a spec names, as their modules have them now (a
            # restart after runtime.code.upgrade starts the new version).
            pid = fn(*latest_args(args))
            if type(pid) is not Pid and is_coroutine(pid):  # (a Pid: no call)
                pid = await pid
        except Error as e:
            self.report("error", "start_error", child, e.reason)
            raise
        except (Exception, ProcessExit) as e:
            if gen.killed():
                raise
            reason = gen.exit_reason(e)
            self.report("error", "start_error", child, reason)
            raise Error(reason)
        if pid is not None and type(pid) is not Pid:
            reason = ("bad_return_value", pid)
            self.report("error", "start_error", child, reason)
            raise Error(reason)
        child.pid = pid
        level = "info" if event == "child_started" else "notice"
        if records(level):
            self.report(level, event, child)

    async def shut(self, child):
        """Stop running `child` as its spec says and wait until it has exited."""
        pid = child.pid
        ref = monitor(pid)
        unlink(pid)
        died = await receive(("EXIT", pid, ANY), timeout=0)  # before it could be asked
        if died is not TIMEOUT:
            reason = died[2]
            await receive(("DOWN", ref, ANY, ANY, ANY))
        else:
            shutdown = child.shutdown
            exit(pid, "kill" if shutdown == "brutal_kill" else "shutdown")
            down = await receive(("DOWN", ref, ANY, ANY, ANY),
                                 timeout=None if type(shutdown) is str else shutdown)
            if down is TIMEOUT:
                exit(pid, "kill")
                down = await receive(("DOWN", ref, ANY, ANY, ANY))
            reason = down[4]
        expected = "killed" if child.shutdown == "brutal_kill" else "shutdown"
        as_expected = type(reason) is str and reason == expected
        if not as_expected and not (child.restart != "permanent" and _normal(reason)):
            self.report("error", "shutdown_error", child, reason)
        child.pid = None

    async def stop_all(self):
        for child in reversed(self.children):
            if type(child.pid) is Pid:
                await self.shut(child)
            await checkpoint()

    def forget(self, child):
        """`child` is not running and is not to be restarted."""
        if child.restart == "temporary" or self.strategy == "simple_one_for_one":
            self.children.remove(child)
        else:
            child.pid = None

    def child_exited(self, child, reason):
        """The callback's answer to `child`'s exit: a result, or the
        coroutine of its restart (see handle_info)."""
        if child.restart != "permanent" and _normal(reason):
            self.forget(child)
            return self.after_significant(child)
        if records("error"):
            self.report("error", "child_terminated", child, reason)
        child.pid = None
        if child.restart == "temporary":
            self.forget(child)
            return self.after_significant(child)
        return self.restart(child)

    def after_significant(self, child):
        """`child` ended by itself and is not restarted: the callback's
        answer, which is to shut down if auto_shutdown says so."""
        if child.significant and (self.auto_shutdown == "any_significant" or not any(
                other.significant and other.pid is not None for other in self.children)):
            return ("stop", "shutdown", self)
        return ("noreply", self)

    async def restart(self, child):
        """Restart `child`, which is not running (and others, by the
        strategy), or give up; return the callback's answer."""
        now = libos.ticks_ms()
        period = self.period_ms
        # Up to intensity + 1 entries, oldest first, and intensity may be in
        # the thousands: drop the expired prefix rather than filter them all
        # on every restart.
        restarts = self.restarts
        expired = 0
        while expired < len(restarts) and not 0 <= libos.ticks_diff(now, restarts[expired]) < period:
            expired += 1
        if expired:
            del restarts[:expired]
        restarts.append(now)
        if len(restarts) > self.intensity:
            self.report("error", "shutdown", None, "reached_max_restart_intensity")
            return ("stop", "shutdown", self)
        if self.strategy == "one_for_all" or self.strategy == "rest_for_one":
            group = await self.stop_group(child)
        else:
            group = [child]
        for i in range(len(group)):
            if i:
                await checkpoint()  # (the first starts in the slice that saw the exit)
            try:
                await self.launch(group[i], "child_restarted")
            except Error:
                for other in group[i:]:
                    other.pid = "restarting"
                gen_server.cast(self.pid, ("try_again_restart", group[i]))
                break
        return ("noreply", self)

    async def stop_group(self, child):
        """Stop the children that one_for_all or rest_for_one restarts
        with `child` (all of them, or those started after it), last first;
        forget the temporary ones; return the others, in start order."""
        children = self.children
        if self.strategy == "one_for_all":
            group = list(children)
        else:
            group = children[children.index(child):]
        for other in reversed(group):
            if type(other.pid) is Pid:
                await self.shut(other)
        for other in group:
            if other.restart == "temporary" and other is not child:
                children.remove(other)
        return [other for other in group if other in children]

    async def start_child(self, arg):
        if self.strategy == "simple_one_for_one":
            if type(arg) is not list and type(arg) is not tuple:
                return ("raise", TypeError, "start_child of a simple_one_for_one supervisor "
                        "needs a list of extra args, got %r" % (arg,))
            child = self.template.dynamic(tuple(arg))
        else:
            try:
                child = _child_spec(arg, self.auto_shutdown)
            except (TypeError, ValueError) as e:
                return ("raise", type(e), str(e))
            present = self.find(child.id)
            if present is not None:
                if type(present.pid) is Pid:
                    return ("error", ("already_started", present.pid))
                return ("error", "already_present")
        try:
            self.children.append(child)
            await self.launch(child, "child_started")
        except Error as e:
            self.children.remove(child)
            return ("error", e.reason)
        except MemoryError as e:
            # No heap for the list of children grown, or for the report of
            # the start or of its failure: the start fails unless the child
            # runs; the supervisor and its other children go on.
            if type(child.pid) is Pid:
                return ("ok", child.pid)
            if child in self.children:
                self.children.remove(child)
            return ("error", e)
        if child.pid is None:
            self.forget(child)  # it asked to be ignored
        return ("ok", child.pid)

    async def terminate_child(self, key):
        if self.strategy == "simple_one_for_one":
            child = self.find_pid(key) if type(key) is Pid else None
        else:
            child = self.find(key)
        if child is None:
            return ("error", "not_found")
        if type(child.pid) is Pid:
            await self.shut(child)
        self.forget(child)
        return ("ok", None)

    def stopped(self, child_id):
        """(child, None) for the stopped child `child_id`, the one that
        restart_child and delete_child act on; else (None, the error answer)."""
        if self.strategy == "simple_one_for_one":
            return None, ("error", "simple_one_for_one")
        child = self.find(child_id)
        if child is None:
            return None, ("error", "not_found")
        if child.pid is not None:
            return None, ("error", "running" if type(child.pid) is Pid else "restarting")
        return child, None

    async def restart_child(self, child):
        try:
            await self.launch(child, "child_started")
        except Error as e:
            return ("error", e.reason)
        return ("ok", child.pid)
