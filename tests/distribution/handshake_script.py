# Our handshake in both roles against itself (runtime/dist/handshake.py),
# over an in-memory pair of streams, for each status the acceptor may
# answer: "ok", "ok_simultaneous" (its connection wins), "alive" (a node
# that restarted while its old connection looked up: the initiator answers
# "true" and both go on), "nok" (the acceptor's own connection wins: the
# initiator stands down, the acceptor ends this one). Prints each outcome.
import runtime
from runtime import api, receive, self_pid, spawn
from runtime.dist import handshake
from runtime.dist.carrier import ByteStream

COOKIE = "handshake-cookie"


class End(ByteStream):
    """One end of an in-memory stream: what it writes lands in its peer's
    inbox, and the peer's owner hears of it."""

    def __init__(self, name):
        super().__init__()
        self.event = ("pipe", name)
        self.peer = None
        self.owner = None

    def pump(self):
        return True

    def write(self, data):
        peer = self.peer
        peer.inbox += data
        peer.arrived += len(data)
        api.send(peer.owner, peer.event)


async def initiator(stream, report):
    stream.owner = self_pid()
    try:
        await handshake.initiate(stream, "a@pipe", 1, COOKIE, "b@pipe")
        outcome = "up"
    except handshake.Superseded:
        outcome = "stands down"
    except handshake.HandshakeError as e:
        outcome = "refused: %s" % e
    api.send(report, ("initiator", outcome))


async def acceptor(stream, report, status):
    stream.owner = self_pid()
    try:
        name = await handshake.accept(stream, "b@pipe", 2, COOKIE, "an address",
                                      lambda peer: status)
        outcome = "ends it" if name is None else "up with " + name
    except handshake.HandshakeError as e:
        outcome = "refused: %s" % e
    api.send(report, ("acceptor", outcome))


async def main():
    for status in (b"ok", b"ok_simultaneous", b"alive", b"nok"):
        a, b = End("a"), End("b")
        a.peer, b.peer = b, a
        me = self_pid()
        spawn(acceptor, b, me, status)
        spawn(initiator, a, me)
        seen = dict([await receive(), await receive()])
        print(status.decode(), "-> initiator", seen["initiator"], "; acceptor", seen["acceptor"])
