"""A subscriber line: a plain process per line, registered as 'line:NUMBER',
supervised by 'lines'. It is idle or in one call, which it monitors, so that
however the call ends the line is free again.

Messages (anything else is malformed: reported and dropped, the line keeps
serving):
    ('dial', number, attempt)   from the traffic generator: place a call
    ('ring', call, caller)      from a call: answer it, or say busy
    ('hang_up', call)           from a call: it is over
"""
import runtime
from runtime import gen_statem, logger, supervisor

from exchange import stats


def name(number):
    return "line:" + number


def ring(number, call, caller):
    """Rings the line `number` for `call`; False if the line is not there."""
    try:
        runtime.send(name(number), ("ring", call, caller))
    except ValueError:
        return False
    return True


def hang_up(number, call):
    pid = runtime.whereis(name(number))
    if pid is not None:
        runtime.send(pid, ("hang_up", call))


def well_formed(msg):
    if type(msg) is not tuple or not msg:
        return False
    kind = msg[0]
    if kind == "dial":
        return len(msg) == 3 and type(msg[1]) is str and type(msg[2]) is int
    if kind == "ring":
        return len(msg) == 3 and type(msg[1]) is runtime.Pid
    if kind == "hang_up":
        return len(msg) == 2 and type(msg[1]) is runtime.Pid
    return kind == "DOWN" and len(msg) == 5


async def serve(number):
    """The line's process."""
    runtime.register(name(number), runtime.self_pid())
    call = None     # the call this line is in
    watch = None    # the monitor on it
    while True:
        msg = await runtime.receive()
        if not well_formed(msg):
            logger.log("warning", "line %s dropped a malformed message: %s"
                       % (number, logger.describe(msg)))
            continue
        kind = msg[0]
        if kind == "dial":
            if call is not None:
                stats.outcome(msg[2], "busy")
                continue
            try:
                call = await supervisor.start_child("calls", [number, msg[1], msg[2]])
            except (supervisor.CallExit, supervisor.Error):
                stats.outcome(msg[2], "lost")
                continue
            watch = runtime.monitor(call)
        elif kind == "ring":
            if call is None:
                call, watch = msg[1], runtime.monitor(msg[1])
                gen_statem.cast(call, "answered")
            else:
                gen_statem.cast(msg[1], "busy")
        elif msg[1] == call or (kind == "DOWN" and msg[3] == call):
            runtime.demonitor(watch, flush=True)
            call = watch = None


def child_spec(number):
    return {"id": name(number), "start": (runtime.spawn_link, (serve, number)),
            "shutdown": 1000}
