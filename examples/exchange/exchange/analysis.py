"""Number analysis: which line a dialled number reaches, following call
forwarding. A gen_server registered as 'analysis'.

Its known flaw, kept for the fault demo: it does not detect a forwarding
loop. Analysing a number caught in one never returns; the slice budget stops
the server and its supervisor restarts it, with a clean forwarding table.
"""
from runtime import gen_server

from exchange.config import LINES


class Analysis(gen_server.GenServer):
    def init(self, arg):
        return {}  # forwarding: number -> number

    def handle_call(self, request, from_, forwarding):
        kind = request[0]
        if kind == "analyse":
            number = request[1]
            while number in forwarding:
                number = forwarding[number]
            answer = ("line", number) if number in LINES else ("unknown", number)
            return ("reply", answer, forwarding)
        if kind == "forward":
            forwarding[request[1]] = request[2]
            return ("reply", "ok", forwarding)
        return ("reply", ("error", "unknown request"), forwarding)


async def start_link():
    return await gen_server.start_link(Analysis, None, name="analysis")


async def analyse(number, timeout):
    return await gen_server.call("analysis", ("analyse", number), timeout)
