"""Two boards wired UART to UART, no host between: a node's endpoint (as
tcp.Endpoint is a host's, uart_link.Endpoint a board's behind the host
bridge) for the node at the other end of the wire.

There is no EPMD: the creation is chosen here (new at each start, never
0), and the peer is whoever the wire leads to. The two links settle which
side numbers its channels how (HELLO, uart_link.py). To connect, a side
opens a channel "connect NAME" with the peer's name; the peer takes it as
a node connecting to it when NAME is its own, and closes it otherwise.
The handshake and the cookie check are the same as over any carrier.
"""
from runtime import logger
from runtime.dist import handshake, uart_link
from runtime.dist.carrier import Closed
from runtime.traps import sleep

HELLO_MS = 5000   # how long a connect waits for the other board's link to answer
_LOOK_MS = 20


class Endpoint(uart_link.Endpoint):
    def __init__(self, uart, name):
        self.name = name
        self.link = uart_link.start(uart, None, name.encode())
        self.registration = None   # (none: no bridge keeps a name for us)

    async def register(self, alive, host):
        """The creation: nothing to register with."""
        return handshake.unpredictable() or 1

    def incoming(self, message):
        found = super().incoming(message)
        if not found:
            return ()
        channel = found[0]
        if bytes(channel.purpose) != ("connect " + self.name).encode():
            logger.log("warning", "wire on uart%d: a channel for %r, not for us (%s): closed"
                       % (self.link.uart, bytes(channel.purpose), self.name))
            channel.close()
            return ()
        return (channel,)

    async def connect(self, peer):
        waited = 0
        while not self.link.settled():
            if waited >= HELLO_MS:
                raise Closed("no board answers on the wire of uart%d" % self.link.uart)
            await sleep(_LOOK_MS)
            waited += _LOOK_MS
        return self.link.open(("connect " + peer).encode())
