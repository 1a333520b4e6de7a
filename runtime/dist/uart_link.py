"""A UART link: several byte streams (channels) over one UART, in frames
(frames.py), for the boards' connections to other nodes.

One process, the link, owns the UART. It decodes what arrives and hands
each channel's bytes to the process that owns the channel, as an event
message, as the stream service does for a TCP connection; and it is the
only writer of the UART, so frames never interleave: a channel's owner
hands it what to send. Each side may send a channel at most WINDOW bytes
that its peer has not yet taken; taking them grants credit back (CREDIT
frames), so a fast peer cannot overrun a board, and one busy channel
cannot starve the others of the link's memory. A peer that sends past its
credit, or DATA for a channel that is not open, gets that channel closed,
with a log line; the link and its other channels go on. The link as a
whole is flow-controlled the same way (CREDIT on channel 0, for the bytes
read from the UART), so that the peer never sends more than libos's RX ring
holds while the link process is busy: a byte lost there would corrupt a
stream. CREDIT and TICK frames of channel 0 go regardless (the ring keeps
room for them), so two sides waiting for each other's credit cannot
deadlock.

Channels are numbered by who opens them (odd numbers by the side that
`initiates`, even by the other), so both sides can open channels at once.
An OPEN frame's payload says what the channel is for (a node name to
connect to, say); the link hands a channel the peer opened to the
process that listens (`listen`), as ('accepted', channel).
"""
import libos

from runtime import api, logger
from runtime.dist import frames
from runtime.dist.carrier import ByteStream, Closed
from runtime.receive import deliver
from runtime.scheduler import SCHEDULER
from runtime.terms import TIMEOUT
from runtime.traps import receive

WINDOW = 1024        # bytes a side may send on a channel before the peer takes them
LINK_WINDOW = 1536   # bytes of frames a side may send before the peer has read them from
                     # its UART (libos's RX ring holds 2048: room for the exempt frames)
LINK_GRANT = 256     # read this many, then say so (a CREDIT on channel 0)
TICK_MS = 1000       # a TICK frame when nothing was sent for this long
RETRY_MS = 2         # while the UART's TX ring is full, look again this often
READ_CHUNK = 512
PRIORITY = "high"    # before the application's processes, as the connections (netkernel.py)

# Requests to the link process, the first element of each.
_SEND = "$link_send"      # (_SEND, channel number, bytes)
_TAKEN = "$link_taken"    # (_TAKEN, channel number, bytes taken)
_OPEN = "$link_open"      # (_OPEN, Channel)
_CLOSE = "$link_close"    # (_CLOSE, channel number)


class Channel(ByteStream):
    """One stream of a link, used by the process that owns it."""

    window = WINDOW
    max_packet = 1 << 17  # a board's heap holds no more than this of one packet

    def __init__(self, link, number, purpose):
        super().__init__()
        self.link = link
        self.number = number
        self.purpose = purpose          # the OPEN frame's payload
        self.event = ("channel", link.uart, number)
        self.owner = None               # record of the owning process
        self.credit = WINDOW            # bytes we may still send
        self.waiting = bytearray()      # written, waiting for credit
        self.untold = 0                 # bytes taken, not yet granted back to the peer

    def pump(self):
        return not self.ended

    def write(self, data):
        if self.ended:
            raise Closed("write to a channel that has ended")
        deliver(SCHEDULER, self.link.pid._proc, (_SEND, self.number, bytes(data)))

    def taken(self, n):
        # Granted back in one CREDIT once the inbox is empty (or a quarter
        # window was taken): a connection takes a packet's length, then
        # its bytes, and a frame for each would double the frames.
        self.untold += n
        if not self.ended and (not self.inbox or self.untold >= WINDOW // 4):
            deliver(SCHEDULER, self.link.pid._proc, (_TAKEN, self.number, self.untold))
            self.untold = 0

    def give(self, pid):
        self.owner = pid._proc

    def close(self):
        if not self.ended:
            self.ended = True
            deliver(SCHEDULER, self.link.pid._proc, (_CLOSE, self.number))


class Link:
    """The state of one UART link, shared with its channels."""

    def __init__(self, uart, initiates):
        self.uart = uart
        self.pid = None
        self.channels = {}         # number -> Channel
        self.next_number = 1 if initiates else 2
        self.listener = None       # record of the process that takes channels the peer opens

    def open(self, purpose):
        """A new channel, owned by the calling process, for `purpose`
        (bytes, at most frames.MAX_PAYLOAD): its OPEN goes to the peer."""
        number = self.next_number
        if number > 255:
            raise RuntimeError("link on uart%d: no channel numbers left" % self.uart)
        self.next_number += 2
        channel = Channel(self, number, purpose)
        channel.owner = SCHEDULER.current
        self.channels[number] = channel
        deliver(SCHEDULER, self.pid._proc, (_OPEN, channel))
        return channel

    def listen(self):
        """The calling process gets ('accepted', channel) for each channel
        the peer opens."""
        self.listener = SCHEDULER.current


def start(uart, initiates):
    """Start the link on libos UART `uart`; return its Link."""
    link = Link(uart, initiates)
    link.pid = api.spawn_opt(_run, (link,), priority=PRIORITY)
    return link


class _Writer:
    """The link's side of the wire: frames out, in order, as the peer's
    credit allows and the UART's TX ring takes them."""

    def __init__(self, port):
        self.port = port
        self.held = []             # frames waiting for the peer's credit
        self.credit = LINK_WINDOW  # bytes of frames the peer can take now
        self.outbox = bytearray()  # bytes for the TX ring
        self.read = 0              # bytes read from the UART, not yet granted back
        self.said = libos.ticks_ms()

    def frame(self, number, kind, payload=b""):
        frame = frames.encode(number, kind, payload)
        if number == 0:  # exempt: see the module's docstring
            self.outbox += frame
        else:
            self.held.append(frame)
        self.flush()

    def granted(self, n):
        self.credit += n
        self.flush()

    def received(self, n):
        self.read += n
        if self.read >= LINK_GRANT:
            self.frame(0, frames.CREDIT, self.read.to_bytes(2, "big"))
            self.read = 0

    def flush(self):
        held = self.held
        while held and len(held[0]) <= self.credit:
            frame = held.pop(0)
            self.credit -= len(frame)
            self.outbox += frame
        if self.outbox:
            put = self.port.write(self.outbox)
            if put:
                self.outbox[:put] = b""
                self.said = libos.ticks_ms()


async def _run(link):
    source = "uart%d" % link.uart
    port = libos.uart(link.uart)
    api.claim(source)
    writer = _Writer(port)
    decoder = frames.Decoder()
    while True:
        wait = RETRY_MS if writer.outbox else TICK_MS
        message = await receive(timeout=wait)
        # Read at every wake-up, not only at the UART's events: one lost in
        # a full event ring must not leave bytes waiting.
        while port.any():
            data = port.read(READ_CHUNK)
            writer.received(len(data))
            decoder.feed(data)
        for number, frame_kind, payload in decoder.frames():
            _arrived(link, writer, number, frame_kind, payload)
        if message is not TIMEOUT and type(message) is tuple and message:
            kind = message[0]
            if kind == _SEND:
                _send(link, writer, message[1], message[2])
            elif kind == _TAKEN:
                if message[1] in link.channels:
                    writer.frame(message[1], frames.CREDIT, message[2].to_bytes(2, "big"))
            elif kind == _OPEN:
                channel = message[1]
                writer.frame(channel.number, frames.OPEN, channel.purpose)
            elif kind == _CLOSE:
                if link.channels.pop(message[1], None) is not None:
                    writer.frame(message[1], frames.CLOSE)
        writer.flush()
        if libos.ticks_diff(libos.ticks_ms(), writer.said) >= TICK_MS:
            writer.frame(0, frames.TICK)


def _send(link, writer, number, data):
    channel = link.channels.get(number)
    if channel is None:
        return
    channel.waiting += data
    _flush_channel(writer, channel)


def _flush_channel(writer, channel):
    while channel.waiting and channel.credit > 0:
        n = min(len(channel.waiting), channel.credit, frames.MAX_PAYLOAD)
        writer.frame(channel.number, frames.DATA, bytes(channel.waiting[:n]))
        channel.waiting[:n] = b""
        channel.credit -= n


def _arrived(link, writer, number, kind, payload):
    """A sound frame from the peer."""
    if number == 0:
        if kind == frames.CREDIT and len(payload) == 2:
            writer.granted(payload[0] << 8 | payload[1])
        return  # or a TICK: the link is alive
    channel = link.channels.get(number)
    if kind == frames.OPEN:
        if channel is not None or link.listener is None or number % 2 == link.next_number % 2:
            writer.frame(number, frames.CLOSE)
            return
        channel = link.channels[number] = Channel(link, number, payload)
        channel.owner = link.listener
        deliver(SCHEDULER, link.listener, ("accepted", channel))
        return
    if channel is None:
        if kind != frames.CLOSE:
            writer.frame(number, frames.CLOSE)
        return
    if kind == frames.DATA:
        if len(channel.inbox) + len(payload) > WINDOW:
            logger.log("warning", "link on uart%d: channel %d sent past its credit; closed"
                       % (link.uart, number))
            _end(link, writer, channel, True)
            return
        channel.inbox += payload
        channel.arrived += len(payload)
    elif kind == frames.CREDIT:
        if len(payload) == 2:
            channel.credit += payload[0] << 8 | payload[1]
            _flush_channel(writer, channel)
        return
    elif kind == frames.CLOSE:
        _end(link, writer, channel, False)
        return
    _tell(channel)


def _end(link, writer, channel, say_so):
    link.channels.pop(channel.number, None)
    channel.ended = True
    if say_so:
        writer.frame(channel.number, frames.CLOSE)
    _tell(channel)


def _tell(channel):
    owner = channel.owner
    if owner is not None and owner.pid._proc is not None:
        deliver(SCHEDULER, owner, channel.event)


REGISTER_MS = 5000   # how long the bridge may take to register the node


class Endpoint:
    """A board's way into a cluster (the node's endpoint, as tcp.Endpoint
    is a host's): the host bridge at the other end of the UART
    (tools/bridge.py) registers the node with EPMD, relays each peer that
    connects as a channel it opens, and opens a TCP connection for each
    channel we open to reach a peer. The handshake and the cookie stay
    here: the bridge relays bytes only."""

    def __init__(self, uart):
        self.link = start(uart, True)
        self.registration = None   # the channel that keeps the name in EPMD

    async def register(self, alive, host):
        channel = self.link.open(("register " + alive).encode())
        try:
            answer = await channel.read_exactly(4, REGISTER_MS)
        except Closed:
            raise RuntimeError("the bridge on uart%d refused the name %r (is a node of that "
                               "name running?)" % (self.link.uart, alive))
        if answer is TIMEOUT:
            channel.close()
            raise RuntimeError("no bridge answers on uart%d (tools/bridge.py)" % self.link.uart)
        self.registration = channel
        return answer[0] << 24 | answer[1] << 16 | answer[2] << 8 | answer[3]

    def hand_to(self, pid):
        self.registration.give(pid)
        self.link.listener = pid._proc

    def incoming(self, message):
        if type(message) is tuple and len(message) == 2 and message[0] == "accepted" \
                and type(message[1]) is Channel and message[1].link is self.link:
            return (message[1],)
        return ()

    async def connect(self, peer):
        return self.link.open(("connect " + peer).encode())
