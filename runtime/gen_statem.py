"""gen_statem: a state machine whose concurrent part lives here; the user
writes only what happens in each state, as methods of a GenStatem subclass.

The callback contract:

    callback_mode    class attribute: 'state_functions' or
        'handle_event_function', or a tuple adding 'state_enter', e.g.
        ('state_functions', 'state_enter').
    init(arg) -> ('ok', state, data) | ('ok', state, data, actions)
        | ('stop', reason) | ('ignore',)         (as gen_server's init)
    In 'state_functions' mode, one method per state, named as the state
    (a str):   state(event_type, content, data) -> result
    In 'handle_event_function' mode, one method for all states:
        handle_event(event_type, content, state, data) -> result
    terminate(reason, state, data)    as gen_server's terminate
    code_change(old_vsn, state, data, extra) -> ('ok', state, data)

Event types: ('call', from_), 'cast', 'info' (any other message), 'timeout'
(the event timeout), 'state_timeout', ('timeout', name) (a generic
timeout), 'internal' (inserted by next_event) and 'enter': a state enter
call, whose content is the state before; it runs after every state change
(and after init, and on repeat_state) when callback_mode has 'state_enter'.

Results:
    ('next_state', state, data)          and ('next_state', state, data, actions)
    ('keep_state', data)                 and (..., actions)
    'keep_state_and_data'                and ('keep_state_and_data', actions)
    ('repeat_state', data)               as keep_state, and the state enter
    'repeat_state_and_data'              call runs again; both with actions
    ('stop', reason)                     and ('stop', reason, data)
    ('stop_and_reply', reason, replies)  and (..., data): reply, then stop

Actions, a list of them or one alone:
    'postpone', ('postpone', flag)       keep the event until the state changes,
                                         then handle it again (oldest first)
    ('reply', from_, reply)
    ('next_event', event_type, content)  handle this next, before any queued
                                         event; type 'internal', 'cast',
                                         'info' or ('call', from_)
    ('timeout', ms, content)             event timeout: cancelled by any event
                                         (not started when an event is queued)
    ('state_timeout', ms, content)       cancelled by a state change
    (('timeout', name), ms, content)     generic timeout, cancelled only by
                                         setting or cancelling that name
    ms 'infinity', ('state_timeout', 'cancel') and (('timeout', name), 'cancel')
    cancel. A timeout set again replaces the one running. A bare ms (an
    int) is ('timeout', ms, ms), and a bare 'infinity' cancels the event
    timeout, as OTP's.
    A timeout of 0 ms starts no timer, as OTP's: its event goes at once to
    the end of the queue of events to handle (after those next_event
    inserts), ahead of every message not yet received; so an event
    timeout of 0 fires only if no event is queued before it (handling
    one cancels it), and a state timeout of 0 is cancelled by a state
    change that an event queued before it makes.
    'hibernate', ('hibernate', flag)     hibernate (hibernation.py) when the
                                         machine next waits for a message:
                                         its coroutine is dropped and the
                                         heap collected; the next message
                                         wakes it with its state and data
A state enter call may not change the state, postpone or insert events.

A callback that raises crashes the machine (terminate runs, as in
gen_server); a wrong result crashes it with
('bad_return_from_state_function', result), a wrong action with
('bad_action_from_state_function', action); a state enter call breaking
its rules with ('bad_state_enter_return_from_state_function', result) or
('bad_state_enter_action_from_state_function', action).
Callbacks may be `async def`, as in gen_server.

Functions: start, start_link, call, cast, reply, stop; suspend, resume,
get_state (returns (state, data)) and change_code from gen.py.
"""
from runtime import gen
from runtime.api import cancel_timer, self_pid, send_after
from runtime.compat import is_coroutine
from runtime.gen import (CallExit, Error, change_code, get_state,  # noqa: F401
                         reply, resume, suspend)
from runtime.terms import ProcessExit, Ref
from runtime.traps import hibernate, receive

_TIMEOUT = "$statem_timeout"
_MODES = ("state_functions", "handle_event_function")
_EVENT_TYPES = ("internal", "cast", "info")


class GenStatem:
    """Subclass this and write the callbacks (see the module docstring)."""

    callback_mode = "state_functions"

    def terminate(self, reason, state, data):
        pass

    def code_change(self, old_vsn, state, data, extra):
        return ("ok", state, data)


# The machine ------------------------------------------------------------

def _bad(what, term):
    raise ProcessExit((what, term))


class _Machine(gen.Server):
    state = None
    data = None
    by_event = False     # callback mode handle_event_function
    enter = False        # callback mode has state_enter

    def __init__(self, parent):
        gen.Server.__init__(self, None, parent)
        self.postponed = []  # events postponed in this state, oldest first
        self.queue = []      # events to handle before the next message
        self.timers = {}     # 'timeout', 'state_timeout' or ('timeout', name) ->
                             # (timer ref, token in its message, event content), or
                             # for a timeout of 0 ms (None, its event in `queue`, content)
        self.hibernate = False  # hibernate before waiting for the next message

    def use(self, cb):
        """Take `cb` as the callback object; False if its callback_mode is
        not one."""
        mode = cb.callback_mode
        flags = mode if type(mode) is tuple else (mode,)
        modes = [flag for flag in flags if flag in _MODES]
        if len(modes) != 1 or len(flags) - 1 != (1 if "state_enter" in flags else 0):
            return False
        self.cb = cb
        self.by_event = modes[0] == "handle_event_function"
        self.enter = "state_enter" in flags
        return True

    def get_state(self):
        return (self.state, self.data)

    def change_code(self, cls, old_vsn, extra):
        _check_class(cls)
        cb = cls()
        result = cb.code_change(old_vsn, self.state, self.data, extra)
        if type(result) is not tuple or len(result) != 3 or result[0] != "ok":
            raise ValueError("code_change must return ('ok', state, data), got %r" % (result,))
        if not self.use(cb):
            raise ValueError("bad callback_mode %r" % (cb.callback_mode,))
        self.state, self.data = result[1], result[2]

    def call_terminate(self, reason):
        return self.cb.terminate(reason, self.state, self.data)

    def event(self, msg):
        """The (type, content) event of message `msg`, or None for the
        message of a timeout that was cancelled after it fired."""
        if type(msg) is tuple:
            n = len(msg)
            if n == 3 and msg[0] == gen.CALL:
                return (("call", msg[1]), msg[2])
            if n == 2 and msg[0] == gen.CAST:
                return ("cast", msg[1])
            if n == 2 and msg[0] == _TIMEOUT:
                return self.fired(msg[1])
        return ("info", msg)

    async def handle(self, event):
        self.cancel("timeout")  # any event cancels the event timeout
        self.hibernate = False
        kind, content = event
        if self.by_event:
            result = self.cb.handle_event(kind, content, self.state, self.data)
        else:
            result = getattr(self.cb, self.state)(kind, content, self.data)
        if is_coroutine(result):
            result = await result
        await self.transition(result, event, False, self.state)

    async def enter_state(self, old):
        if self.by_event:
            result = self.cb.handle_event("enter", old, self.state, self.data)
        else:
            result = getattr(self.cb, self.state)("enter", old, self.data)
        if is_coroutine(result):
            result = await result
        await self.transition(result, None, True, old)

    async def transition(self, result, event, entering, old):
        """Act on callback `result` for `event` (None for a state enter call
        or init); `old` is the state an enter call would be given."""
        state, data, actions, repeat = self.state, self.data, [], False
        if result == "keep_state_and_data":
            pass
        elif result == "repeat_state_and_data":
            repeat = True
        elif type(result) is tuple and result:
            tag, n = result[0], len(result)
            if tag == "next_state" and 3 <= n <= 4:
                state, data = result[1], result[2]
                actions = result[3] if n == 4 else actions
            elif (tag == "keep_state" or tag == "repeat_state") and 2 <= n <= 3:
                data = result[1]
                actions = result[2] if n == 3 else actions
                repeat = tag == "repeat_state"
            elif (tag == "keep_state_and_data" or tag == "repeat_state_and_data") and n == 2:
                actions = result[1]
                repeat = tag == "repeat_state_and_data"
            elif tag == "stop" and 2 <= n <= 3:
                self.data = result[2] if n == 3 else data
                await self.terminate(result[1])
            elif tag == "stop_and_reply" and 3 <= n <= 4:
                self.data = result[3] if n == 4 else data
                for action in _listed(result[2]):
                    if type(action) is not tuple or len(action) != 3 or action[0] != "reply":
                        _bad("bad_action_from_state_function", action)
                    reply(action[1], action[2])
                await self.terminate(result[1])
            else:
                _bad("bad_return_from_state_function", result)
        else:
            _bad("bad_return_from_state_function", result)
        changed = state != self.state
        if entering and changed:
            _bad("bad_state_enter_return_from_state_function", result)
        if changed:
            self.cancel("state_timeout")
        postpone, inserted = self.act(_listed(actions), entering)
        if postpone:
            if event is None:
                _bad("bad_action_from_state_function", "postpone")
            self.postponed.append(event)
        if changed and self.postponed:
            self.queue = self.postponed + self.queue
            self.postponed = []
        self.state, self.data = state, data
        if self.enter and (changed or repeat):
            await self.enter_state(old)
        if inserted:
            self.queue = inserted + self.queue
        if self.queue:
            # An event is waiting: it would cancel a running event timeout.
            # One of 0 ms is left: its own event is in the queue, behind any
            # other, whose handling cancels it.
            running = self.timers.get("timeout")
            if running is not None and running[0] is not None:
                self.cancel("timeout")

    def act(self, actions, entering):
        """Carry out replies and timeouts; return (postpone, inserted events)."""
        postpone = False
        inserted = []
        for action in actions:
            n = type(action) is tuple and len(action)
            tag = n and action[0]
            if action == "postpone" or tag == "postpone" and n == 2:
                postpone = action == "postpone" or bool(action[1])
                if entering and postpone:
                    _bad("bad_state_enter_action_from_state_function", action)
            elif tag == "reply" and n == 3:
                reply(action[1], action[2])
            elif type(action) is int or action == "infinity":  # ('timeout', ms, ms)
                self.cancel("timeout")
                if action != "infinity":
                    self.start_timer("timeout", action, action, action)
            elif action == "hibernate" or tag == "hibernate" and n == 2:
                self.hibernate = action == "hibernate" or bool(action[1])
            elif tag == "next_event" and n == 3 and (
                    action[1] in _EVENT_TYPES or type(action[1]) is tuple
                    and len(action[1]) == 2 and action[1][0] == "call"):
                if entering:
                    _bad("bad_state_enter_action_from_state_function", action)
                inserted.append((action[1], action[2]))
            elif (tag == "timeout" or tag == "state_timeout" or type(tag) is tuple
                  and len(tag) == 2 and tag[0] == "timeout") and (
                    n == 3 or n == 2 and action[1] == "cancel" and tag != "timeout"):
                self.cancel(tag)
                if n == 3 and action[1] != "infinity":
                    self.start_timer(tag, action[1], action[2], action)
            else:
                _bad("bad_action_from_state_function", action)
        return postpone, inserted

    def start_timer(self, kind, ms, content, action):
        if type(ms) is not int and type(ms) is not float or ms < 0:
            _bad("bad_action_from_state_function", action)
        if ms == 0:  # no timer: the event goes to the end of the queue now
            event = (kind, content)
            self.queue.append(event)
            self.timers[kind] = (None, event, content)
            return
        token = Ref()
        self.timers[kind] = (send_after(ms, self_pid(), (_TIMEOUT, token)), token, content)

    def cancel(self, kind):
        entry = self.timers.pop(kind, None)
        if entry is None:
            return
        if entry[0] is not None:
            cancel_timer(entry[0])  # a message it sent already is dropped by its token
            return
        queue = self.queue
        for i in range(len(queue)):
            if queue[i] is entry[1]:
                del queue[i]
                return

    def fired(self, mark):
        """The timeout whose entry holds `mark` (its message's token, or
        for 0 ms its event taken from the queue) has fired: forget it;
        return its (kind, content) event, or None if none holds it."""
        timers = self.timers
        for kind in timers:
            entry = timers[kind]
            if entry[1] is mark:
                del timers[kind]
                return (kind, entry[2])
        return None


def _listed(actions):
    return actions if type(actions) is list else [actions]


def _init(m, cls, arg):
    cb = cls()
    if not m.use(cb):
        _bad("bad_callback_mode", cb.callback_mode)
    return cb.init(arg)


async def _serve(cls, arg, starter, link):
    m = _Machine(starter if link else self_pid())
    result = await gen.run_init(starter, _accepted, _init, m, cls, arg)
    m.state, m.data = result[1], result[2]
    try:
        # Init's actions, and the first state enter call.
        await m.transition(("repeat_state_and_data", result[3] if len(result) == 4 else []),
                           None, False, m.state)
    except (Exception, ProcessExit) as e:
        await m.crashed(e)
        raise
    await _run(m)


async def _run(m):
    """Handle events until the machine ends; to hibernate, leave this
    coroutine, and the one that called it, for a new call of it
    (hibernation.py)."""
    while True:
        try:
            if m.queue:
                event = m.queue.pop(0)
                m.fired(event)  # a 0 ms timeout's event, perhaps
                await m.handle(event)
                continue
            if m.hibernate:
                break
            msg = await receive()
            if type(msg) is tuple and len(msg) == 3:
                if msg[0] == gen.SYSTEM:
                    await m.system(msg[1], msg[2])
                    continue
                if msg[0] == "EXIT" and msg[1] is m.parent:
                    await m.terminate(msg[2])
            event = m.event(msg)
            if event is not None:
                await m.handle(event)
        except (Exception, ProcessExit) as e:
            await m.crashed(e)
            raise
    m.hibernate = False
    await hibernate(_run, m)


def _accepted(result):
    return type(result) is tuple and 3 <= len(result) <= 4 and type(result[0]) is str \
        and result[0] == "ok"


# The functions (their contracts: gen.behaviour); OTP's gen_statem calls
# wait for ever by default.
start, start_link, call, cast, stop, _check_class = gen.behaviour(
    "gen_statem", _serve, GenStatem, "infinity")
