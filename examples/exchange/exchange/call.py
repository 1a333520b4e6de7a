"""One call: a gen_statem per call, started by the caller's line under the
'calls' supervisor (simple_one_for_one, temporary: a call that fails is not
retried, the subscriber dials again).

    analysing --line found--> ringing --answered--> connected --hung up--> done
         |                      |  busy, no answer
         +--- unknown number ---+--------------------------------------> done

Whatever ends the call, terminate() frees both lines and reports the
outcome: completed, busy, no_answer, unknown, or lost (it failed).

Its known flaw, kept for the fault demo: transferring a connected call to a
number that is not a line raises ValueError, which ends this call only.
"""
import libos
import runtime
from runtime import gen_server, gen_statem

from exchange import analysis, charging, line, stats
from exchange.config import ANALYSIS_TIMEOUT, LINES, RING_TIMEOUT, TALK_MAX, TALK_MIN


class Call(gen_statem.GenStatem):
    callback_mode = "state_functions"

    def init(self, args):
        caller, callee, attempt = args
        data = {"caller": caller, "callee": callee, "line": None, "attempt": attempt,
                "since": 0, "outcome": "lost"}
        return ("ok", "analysing", data, [("next_event", "internal", "analyse")])

    async def analysing(self, event_type, content, data):
        if event_type != "internal":
            return "postpone"
        try:
            answer = await analysis.analyse(data["callee"], ANALYSIS_TIMEOUT)
        except gen_server.CallExit:
            return ("stop", "normal", data)     # analysis is down: lost
        if answer[0] != "line":
            data["outcome"] = "unknown"
            return ("stop", "normal", data)
        if not line.ring(answer[1], runtime.self_pid(), data["caller"]):
            return ("stop", "normal", data)     # the line is down: lost
        data["line"] = answer[1]
        return ("next_state", "ringing", data, [("state_timeout", RING_TIMEOUT, "no_answer")])

    def ringing(self, event_type, content, data):
        if event_type == "state_timeout":
            data["outcome"] = "no_answer"
            return ("stop", "normal", data)
        if event_type == "cast" and content == "answered":
            data["since"] = libos.ticks_ms()
            talk = TALK_MIN + data["attempt"] * 37 % (TALK_MAX - TALK_MIN)
            return ("next_state", "connected", data, [("state_timeout", talk, "hang_up")])
        if event_type == "cast" and content == "busy":
            data["line"] = None     # the callee's line is in another call
            data["outcome"] = "busy"
            return ("stop", "normal", data)
        return "postpone"

    def connected(self, event_type, content, data):
        if event_type == "state_timeout":
            ms = libos.ticks_diff(libos.ticks_ms(), data["since"])
            charging.record(data["caller"], data["callee"], ms)
            data["outcome"] = "completed"
            return ("stop", "normal", data)
        if event_type[0] == "call" and content[0] == "transfer":
            data["line"] = LINES[LINES.index(content[1])]
            return ("keep_state", data, [("reply", event_type[1], "ok")])
        return "keep_state_and_data"

    def terminate(self, reason, state, data):
        me = runtime.self_pid()
        line.hang_up(data["caller"], me)
        if data["line"] is not None:
            line.hang_up(data["line"], me)
        stats.outcome(data["attempt"], data["outcome"])


async def start_link(caller, callee, attempt):
    return await gen_statem.start_link(Call, (caller, callee, attempt))


def child_spec():
    """The template of the 'calls' supervisor's children."""
    return {"id": "call", "start": (start_link, ()), "restart": "temporary",
            "shutdown": "brutal_kill"}
