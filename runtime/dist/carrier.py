"""The carrier: a byte stream between two nodes, for the process that owns it.

On hosts it is a TCP connection of the libos stream service. The service is
mechanism only: it never blocks and says with an event, ('stream', id) in
the owner's mailbox (sources.py), that something changed; this module turns
that into reads of exact lengths and writes that never lose a byte: what
the OS does not take yet waits in `outbox` and goes when the stream is
writable again. A stream belongs to one process (its owner), is used only
by it, and is closed when it exits.
"""
import libos

from runtime.scheduler import SCHEDULER
from runtime.terms import TIMEOUT
from runtime.traps import receive

READ_CHUNK = 4096


def available():
    """True where this target has a stream service (hosts; boards carry
    their connections on a UART instead)."""
    return hasattr(libos, "stream_listen")


def _owner():
    p = SCHEDULER.current
    if p is None:
        raise RuntimeError("a stream is opened from a process, which then owns it")
    return p


class Closed(Exception):
    """The stream ended: the peer closed it, or it failed."""


class ByteStream:
    """What a connection reads from, whatever carries it: `inbox` holds what
    has arrived; `pump()`, called on each `event` message, brings in more
    and says whether the stream is still alive; `take(n)` removes n bytes."""

    event = None
    ended = False
    max_packet = 1 << 20  # the largest packet a connection takes on it (OTP never fragments
                          # to us, handshake.py)
    window = 1 << 20      # the most bytes that can be waiting in `inbox` at once

    def __init__(self):
        self.inbox = bytearray()    # bytes arrived, not yet taken
        self.arrived = 0            # bytes ever put in `inbox` (a peer heard from)

    def take(self, n):
        data = bytes(self.inbox[:n])
        self.inbox[:n] = b""
        self.taken(n)
        return data

    def taken(self, n):
        """n bytes were taken from `inbox` (a carrier with flow control
        lets its peer send that many more)."""

    async def read_exactly(self, n, timeout=None):
        """The next `n` bytes; Closed if the stream ends first, TIMEOUT
        if `timeout` ms pass with nothing arriving."""
        if n > self.window:
            raise ValueError("a read of %d bytes: at most %d can be waiting here"
                             % (n, self.window))
        while len(self.inbox) < n:
            alive = self.pump()
            if len(self.inbox) >= n:
                break
            if not alive:
                raise Closed("the stream ended")
            if await receive(self.event, timeout=timeout) is TIMEOUT:
                return TIMEOUT
        return self.take(n)


class Stream(ByteStream):
    """A TCP connection of the libos stream service."""

    def __init__(self, stream_id):
        super().__init__()
        self.id = stream_id
        self.event = ("stream", stream_id)
        self.outbox = bytearray()   # bytes written, not yet taken by the OS
        SCHEDULER.sources.own_stream(_owner(), stream_id)

    @classmethod
    def listen(cls, port=0, host="127.0.0.1"):
        return cls(libos.stream_listen(port, host))

    @classmethod
    async def connect(cls, host, port, timeout=5000):
        """A stream connected to host:port; Closed if it cannot be."""
        stream = cls(libos.stream_connect(host, port))
        while libos.stream_status(stream.id) == "connecting":
            if await receive(stream.event, timeout=timeout) is TIMEOUT:
                stream.close()
                raise Closed("connecting to %s:%d timed out" % (host, port))
        if libos.stream_status(stream.id) != "open":
            stream.close()
            raise Closed("connection to %s:%d refused" % (host, port))
        return stream

    def port(self):
        return libos.stream_port(self.id)

    def accept_now(self):
        """A connection made to this listening stream, or None if none waits."""
        new = libos.stream_accept(self.id)
        return None if new is None else Stream(new)

    def give(self, pid):
        """Hand the stream to the process `pid`, which uses it from now on."""
        SCHEDULER.sources.own_stream(pid._proc, self.id)

    def pump(self):
        """Take what has arrived into `inbox` and hand `outbox` to the OS;
        called on each ('stream', id) event. False once the stream ended."""
        while not self.ended:
            data = libos.stream_read(self.id, READ_CHUNK)
            if data is None:
                self.ended = True
            elif data:
                self.inbox += data
                self.arrived += len(data)
                if len(data) == READ_CHUNK:
                    continue
            break
        self._flush()
        return not self.ended

    def write(self, data):
        """Send `data` after what was written before; never blocks."""
        if self.ended:
            raise Closed("write to a stream that has ended")
        if self.outbox:
            self.outbox += data
            self._flush()
            return
        put = libos.stream_write(self.id, data)
        if put < len(data):
            self.outbox += memoryview(data)[put:]

    def _flush(self):
        if self.outbox and not self.ended:
            put = libos.stream_write(self.id, self.outbox)
            if put:
                self.outbox[:put] = b""
            if libos.stream_status(self.id) == "closed":
                self.ended = True

    def close(self):
        if self.id is not None:
            SCHEDULER.sources.close_stream(SCHEDULER.current, self.id)
            self.id = None
            self.ended = True
