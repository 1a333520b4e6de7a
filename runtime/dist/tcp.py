"""A host's way into a cluster: listen on TCP, register the port with EPMD,
and reach a peer at the port EPMD has for it (the libos stream service,
carrier.py). A board's way is through its UART and the host bridge
(uart_link.Endpoint); the node (netkernel.py) uses either alike."""
from runtime.dist import epmd, handshake
from runtime.dist.carrier import Closed, Stream


class Endpoint:
    def __init__(self):
        self.listening = None      # the listening stream
        self.registration = None   # the EPMD registration's stream

    async def register(self, alive, host):
        """Listen and register as `alive`; return the creation EPMD gave."""
        self.listening = Stream.listen(0, "127.0.0.1" if host == "127.0.0.1" else "0.0.0.0")
        try:
            self.registration, creation = await epmd.register(alive, self.listening.port())
        except BaseException:
            self.listening.close()
            raise
        return creation

    def hand_to(self, pid):
        """Make `pid` (net_kernel) the owner of what keeps the node reachable."""
        self.registration.give(pid)
        self.listening.give(pid)

    def incoming(self, message):
        """The streams of peers that connected, if `message` says so."""
        if message != self.listening.event:
            return ()
        found = []
        new = self.listening.accept_now()
        while new is not None:
            found.append(new)
            new = self.listening.accept_now()
        return found

    async def connect(self, peer):
        """A stream to node `peer`; Closed if it cannot be reached."""
        alive, host = peer.split("@", 1)
        port = await epmd.port_please(alive, host)
        if port is None:
            raise Closed("no node %s is registered with EPMD at %s" % (alive, host))
        return await Stream.connect(host, port, handshake.TIMEOUT_MS)
