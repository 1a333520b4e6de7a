"""A UART link: several byte streams (channels) over one UART, in frames
(frames.py), for the boards' connections to other nodes.

One process, the link, owns the UART. It decodes what arrives and hands
each channel's bytes to the process that owns the channel, as an event
message, as the stream service does for a TCP connection; and it is the
only writer of the UART, so frames never interleave: a channel's owner
hands it what to send.

Flow control. Each side may send a channel at most WINDOW bytes that its
peer has not yet taken; taking them is said with CREDIT frames, so a fast
peer cannot overrun a board, and one busy channel cannot starve the others
of the link's memory. The link as a whole is flow-controlled the same way
(CREDIT on channel 0, for the frames read from the UART), so that the
peer never sends more than libos's RX ring holds while the link process
is busy. CREDIT and TICK frames of channel 0 go regardless (the ring keeps
room for them), so two sides waiting for each other's credit cannot
deadlock.

A damaged wire. A frame lost to garbage, a lost byte or a bad CRC costs
that frame; the decoder finds the next one. What the loss means:
- a DATA frame: its channel's stream has a hole, seen in the next DATA
  frame's seq. That channel is closed (its connection goes down), with a
  log line naming the link, the channel and the gap, and the peer is told
  (CLOSE); the link and the other channels go on.
- a CREDIT frame: its counts are totals, so the next one repairs it. Every
  TICK_MS the link sends a TICK with its own counts (frames.py), then each
  open channel's CREDIT count again: a lost last CREDIT stalls a sender
  for one tick at most. The link counts the bytes of the sound frames it
  read (garbage is not counted, so cannot make the peer overrun the RX
  ring); the TICK's count of the bytes the peer sent makes up for the
  frames lost on the way.
- an OPEN or a CLOSE: the other side then holds a channel this side does
  not; its next frame on it (a tick's CREDIT at the latest) is answered
  with CLOSE, which ends it there. An OPEN for a channel still held means
  the peer forgot it: the old one ends, the new one is taken.
A frame whose length was garbled upwards, or whose tail was lost with
nothing after it, would hold the frames behind it until enough bytes came:
it is given up after STALE_MS and what followed it is read.

A peer that sends past its credit gets that channel closed, with a log
line; a frame for a channel that is not open is answered with CLOSE. The
link and its other channels go on.

Channels are numbered by who opens them (odd numbers by the side that
`initiates`, even by the other), so both sides can open channels at once;
a number is used again once free, after the others (so a late CLOSE for
its last use finds it long gone). A board and the host bridge know their
sides; two boards wired UART to UART (wire.py) settle theirs by HELLO:
an OPEN on channel 0 whose payload is whether it answers one, the
sender's session (new at each start) and its name; the smaller name
initiates. A HELLO of a new session from a peer already known means it
restarted: every channel it had is gone, and ends here. An OPEN frame's
payload says what the channel is for (a node name to connect to, say); the
link hands a channel the peer opened to the process that listens
(`listen`), as ('accepted', channel).
"""
import libos

from runtime import api, logger
from runtime.dist import frames, handshake
from runtime.dist.frames import LINK_GRANT, LINK_WINDOW, STALE_MS, TICK_MS, WINDOW
from runtime.dist.carrier import ByteStream, Closed
from runtime.receive import deliver
from runtime.scheduler import SCHEDULER
from runtime.terms import TIMEOUT
from runtime.traps import receive, sleep

RETRY_MS = 2         # while the UART's TX ring is full, look again this often
READ_CHUNK = 2048     # all that libos's RX ring holds
PRIORITY = "high"    # before the application's processes, as the connections (netkernel.py)

# Requests to the link process, the first element of each.
_SEND = "$link_send"      # (_SEND, channel number, bytes)
_TAKEN = "$link_taken"    # (_TAKEN, channel number, the channel's CREDIT count)
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
        self.waiting = bytearray()      # written, waiting for credit
        self.sent = 0                   # bytes sent in DATA frames (a count, frames.py) ...
        self.peer_taken = 0             # ... and the peer's count of them taken
        self.sent_frames = 0            # DATA frames sent: the next one's seq
        self.received_frames = 0        # DATA frames received: the seq the next must have
        self.taken_count = 0            # bytes the owner took: our CREDIT count
        self.untold = 0                 # bytes taken since the link was last told

    def credit(self):
        """Bytes we may still send."""
        return WINDOW - max(frames.ahead(self.sent, self.peer_taken), 0)

    def pump(self):
        return not self.ended

    def write(self, data):
        if self.ended:
            raise Closed("write to a channel that has ended")
        deliver(SCHEDULER, self.link.pid._proc, (_SEND, self.number, bytes(data)))

    def taken(self, n):
        # Told in one CREDIT once the inbox is empty (or a quarter window
        # was taken): a connection takes a packet's length, then its bytes,
        # and a frame for each would double the frames.
        self.taken_count = (self.taken_count + n) % frames.COUNT
        self.untold += n
        if not self.ended and (not self.inbox or self.untold >= WINDOW // 4):
            deliver(SCHEDULER, self.link.pid._proc, (_TAKEN, self.number, self.taken_count))
            self.untold = 0

    def give(self, pid):
        self.owner = pid._proc

    def close(self):
        if not self.ended:
            self.ended = True
            deliver(SCHEDULER, self.link.pid._proc, (_CLOSE, self.number))


class Link:
    """The state of one UART link, shared with its channels."""

    def __init__(self, uart, initiates, hello=None):
        self.uart = uart
        self.pid = None
        self.channels = {}         # number -> Channel
        self.hello = hello         # our name, when the sides are settled by HELLO
        self.session = handshake.unpredictable()  # tells one start of the board from the next
        self.peer = None           # (session, name) of the peer's HELLO, once heard
        self.next_number = None if initiates is None else 1 if initiates else 2
        self.listener = None       # record of the process that takes channels the peer opens
        self.writer = None         # the link process's side of the wire (_Writer)

    def settled(self):
        """True once this side knows which channel numbers are its own."""
        return self.next_number is not None

    def open(self, purpose):
        """A new channel, owned by the calling process, for `purpose`
        (bytes, at most frames.MAX_PAYLOAD): its OPEN goes to the peer."""
        if not self.settled():
            raise Closed("link on uart%d: the other side has not said hello" % self.uart)
        number = self._free_number()
        channel = Channel(self, number, purpose)
        channel.owner = SCHEDULER.current
        self.channels[number] = channel
        deliver(SCHEDULER, self.pid._proc, (_OPEN, channel))
        return channel

    def _free_number(self):
        number = self.next_number
        for _ in range(128):
            if number not in self.channels:
                self.next_number = _after(number)
                return number
            number = _after(number)
        raise RuntimeError("link on uart%d: all its channel numbers are in use" % self.uart)

    def listen(self):
        """The calling process gets ('accepted', channel) for each channel
        the peer opens."""
        self.listener = SCHEDULER.current


def _after(number):
    """The next channel number of the same side (1, 3 .. 255 or 2, 4 .. 254)."""
    return number + 2 if number + 2 <= 255 else 2 - number % 2



def start(uart, initiates, hello=None):
    """Start the link on libos UART `uart`; return its Link. `initiates`:
    True or False, or None to settle it with the peer by HELLO, saying
    `hello` (our name, bytes)."""
    link = Link(uart, initiates, hello)
    link.pid = api.spawn_opt(_run, (link,), priority=PRIORITY)
    return link


class _Writer:
    """The link's side of the wire going out: frames, in order, as the
    peer's credit allows and the UART's TX ring takes them; and the link's
    counts (frames.py: CREDIT, TICK)."""

    def __init__(self, port):
        self.port = port
        self.held = []             # frames waiting for the peer's credit
        self.outbox = bytearray()  # bytes for the TX ring
        self.sent = 0              # bytes of frames sent (a count) ...
        self.peer_taken = 0        # ... and the peer's count of them read
        self.taken = 0             # bytes of the peer's frames read, as it counts them ...
        self.told = 0              # ... and that count as last told to the peer
        self.ticked = libos.ticks_ms()

    def frame(self, number, kind, payload=b"", seq=0):
        frame = frames.encode(number, kind, payload, seq)
        if number == 0:  # exempt: see the module's docstring
            self._out(frame)
        else:
            self.held.append(frame)
        self.flush()

    def _out(self, frame):
        self.outbox += frame
        self.sent = (self.sent + len(frame)) % frames.COUNT

    def flush(self):
        held = self.held
        while held and max(frames.ahead(self.sent, self.peer_taken), 0) + len(held[0]) \
                <= LINK_WINDOW:
            self._out(held.pop(0))
        if self.outbox:
            put = self.port.write(self.outbox)
            if put:
                self.outbox[:put] = b""

    def granted(self, peer_taken):
        self.peer_taken = peer_taken
        self.flush()

    def received(self, frame_bytes):
        """A sound frame of the peer's was read."""
        self.taken = (self.taken + frame_bytes) % frames.COUNT
        self._grant()

    def peer_ticked(self, payload):
        """The peer's TICK: all it had sent before it has been read (or
        lost), so our count of its bytes is what it says plus the TICK."""
        self.taken = (frames.counted(payload) + frames.OVERHEAD + len(payload)) % frames.COUNT
        self.granted(frames.counted(payload, 2))
        self._grant()

    def _grant(self):
        if frames.ahead(self.taken, self.told) >= LINK_GRANT:
            self.told = self.taken
            self.frame(0, frames.CREDIT, frames.count(self.taken))

    def tick(self, now):
        self.ticked = now
        self.told = self.taken
        self.frame(0, frames.TICK, frames.count(self.sent) + frames.count(self.taken))


class _Reader:
    """The link's side of the wire coming in: bytes from the UART, decoded;
    a partial frame that waits longer than STALE_MS is given up."""

    def __init__(self, port):
        self.port = port
        self.decoder = frames.Decoder()
        self.partial = None        # decoder.waiting() when last looked ...
        self.since = 0             # ... and since when

    def frames(self, now):
        # Read at every wake-up, not only at the UART's events: one lost in
        # a full event ring must not leave bytes waiting. Once: reading on
        # while bytes come would make the slice as long as the peer sends.
        decoder = self.decoder
        data = self.port.read(READ_CHUNK)
        if data:
            decoder.feed(data)
        found = decoder.frames()
        if decoder.waiting() == self.partial and self.partial is not None \
                and libos.ticks_diff(now, self.since) >= STALE_MS:
            decoder.expire()
            found += decoder.frames()
        if decoder.waiting() != self.partial:
            self.partial = decoder.waiting()
            self.since = now
        return found

    def wait_ms(self, now):
        """How long the partial frame may still wait, or None."""
        if self.partial is None:
            return None
        return STALE_MS - libos.ticks_diff(now, self.since)


async def _run(link):
    source = "uart%d" % link.uart
    port = libos.uart(link.uart)
    api.claim(source)
    writer = link.writer = _Writer(port)
    reader = _Reader(port)
    if link.hello is not None:
        _say_hello(link, writer, False)
    while True:
        if port.any():
            # More came while we read: on at once, but after the others' turn.
            await sleep(0)
            message = await receive(timeout=0)
        else:
            message = await receive(timeout=_wait_ms(writer, reader))
        for number, frame_kind, seq, payload in reader.frames(libos.ticks_ms()):
            writer.received(frames.OVERHEAD + len(payload))
            if number == 0:
                _link_frame(link, writer, frame_kind, payload)
            else:
                _arrived(link, writer, number, frame_kind, seq, payload)
        if message is not TIMEOUT and type(message) is tuple and message:
            kind = message[0]
            if kind == _SEND:
                _send(link, writer, message[1], message[2])
            elif kind == _TAKEN:
                if message[1] in link.channels:
                    writer.frame(message[1], frames.CREDIT, frames.count(message[2]))
            elif kind == _OPEN:
                channel = message[1]
                writer.frame(channel.number, frames.OPEN, channel.purpose)
            elif kind == _CLOSE:
                if link.channels.pop(message[1], None) is not None:
                    writer.frame(message[1], frames.CLOSE)
        writer.flush()
        now = libos.ticks_ms()
        if libos.ticks_diff(now, writer.ticked) >= TICK_MS:
            writer.tick(now)
            if link.hello is not None and link.peer is None:
                _say_hello(link, writer, False)
            for channel in link.channels.values():
                writer.frame(channel.number, frames.CREDIT, frames.count(channel.taken_count))


def _wait_ms(writer, reader):
    if writer.outbox:
        return RETRY_MS
    now = libos.ticks_ms()
    wait = TICK_MS - libos.ticks_diff(now, writer.ticked)
    stale = reader.wait_ms(now)
    if stale is not None and stale < wait:
        wait = stale
    return max(wait, 1)


def _link_frame(link, writer, kind, payload):
    """A sound frame of channel 0 from the peer."""
    if kind == frames.CREDIT and len(payload) == 2:
        writer.granted(frames.counted(payload))
    elif kind == frames.TICK and len(payload) == 4:
        writer.peer_ticked(payload)
    elif kind == frames.OPEN and link.hello is not None and len(payload) > 5:
        _heard_hello(link, writer, payload)


def _say_hello(link, writer, answering):
    writer.frame(0, frames.OPEN, bytes((1 if answering else 0,))
                 + link.session.to_bytes(4, "big") + link.hello)


def _heard_hello(link, writer, payload):
    session = int.from_bytes(payload[1:5], "big")
    name = bytes(payload[5:])
    if link.peer is not None and link.peer[0] != session:
        logger.log("warning", "link on uart%d: %s started again; its channels are gone"
                   % (link.uart, name.decode("utf-8", "replace")))
        for channel in list(link.channels.values()):
            _end(link, channel)
    if name == link.hello:
        logger.log("error", "link on uart%d: the other side has our name, %s"
                   % (link.uart, name.decode("utf-8", "replace")))
        return
    link.peer = (session, name)
    if link.next_number is None:
        link.next_number = 1 if link.hello < name else 2
    if not payload[0]:
        _say_hello(link, writer, True)


def _send(link, writer, number, data):
    channel = link.channels.get(number)
    if channel is None:
        return
    channel.waiting += data
    _flush_channel(writer, channel)


def _flush_channel(writer, channel):
    waiting = channel.waiting
    while waiting:
        n = min(len(waiting), channel.credit(), frames.MAX_PAYLOAD)
        if n <= 0:
            return
        writer.frame(channel.number, frames.DATA, bytes(waiting[:n]), channel.sent_frames)
        waiting[:n] = b""
        channel.sent_frames = (channel.sent_frames + 1) & 255
        channel.sent = (channel.sent + n) % frames.COUNT


def _arrived(link, writer, number, kind, seq, payload):
    """A sound frame of channel `number` from the peer."""
    channel = link.channels.get(number)
    if kind == frames.OPEN:
        if link.listener is None or not link.settled() or number % 2 == link.next_number % 2:
            writer.frame(number, frames.CLOSE)
            return
        if channel is not None:  # the peer opens a number only once it is free there
            _lost(link, writer, channel, "was opened again by the peer (its CLOSE was lost)",
                  False)
        channel = link.channels[number] = Channel(link, number, payload)
        channel.owner = link.listener
        deliver(SCHEDULER, link.listener, ("accepted", channel))
        return
    if channel is None:
        if kind != frames.CLOSE:
            writer.frame(number, frames.CLOSE)
        return
    if kind == frames.DATA:
        if seq != channel.received_frames:
            _lost(link, writer, channel, "lost a frame (DATA #%d came where #%d was due)"
                  % (seq, channel.received_frames))
            return
        channel.received_frames = (seq + 1) & 255
        if len(channel.inbox) + len(payload) > WINDOW:
            _lost(link, writer, channel, "sent past its credit")
            return
        channel.inbox += payload
        channel.arrived += len(payload)
    elif kind == frames.CREDIT:
        if len(payload) == 2:
            channel.peer_taken = frames.counted(payload)
            _flush_channel(writer, channel)
        return
    elif kind == frames.CLOSE:
        _end(link, channel)
        return
    else:
        return  # a TICK belongs to channel 0
    _tell(channel)


def _lost(link, writer, channel, problem, tell_peer=True):
    """End a channel whose stream can no longer be trusted, with a log line
    (and a CLOSE, unless the peer has forgotten it already)."""
    logger.log("warning", "link on uart%d: channel %d %s; closed"
               % (link.uart, channel.number, problem))
    _end(link, channel)
    if tell_peer:
        writer.frame(channel.number, frames.CLOSE)


def _end(link, channel):
    link.channels.pop(channel.number, None)
    channel.ended = True
    _tell(channel)


def _tell(channel):
    owner = channel.owner
    if owner is not None and owner.pid._proc is not None:
        deliver(SCHEDULER, owner, channel.event)


REGISTER_MS = 5000   # how long the bridge may take to register the node
ASK_AGAIN_MS = 100   # after a registration's channel ended unanswered


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
        """The creation EPMD gave, through the bridge. A channel that ends
        unanswered is asked again: the bridge did not see it open (it
        started after us, or a serial port dropped what came first)."""
        deadline = libos.ticks_add(libos.ticks_ms(), REGISTER_MS)
        while True:
            left = libos.ticks_diff(deadline, libos.ticks_ms())
            channel = self.link.open(("register " + alive).encode())
            try:
                answer = await channel.read_exactly(4, max(left, 1))
            except Closed:
                if left > 0:
                    await sleep(ASK_AGAIN_MS)
                    continue
                answer = TIMEOUT
            if answer is TIMEOUT:
                channel.close()
                raise RuntimeError("no bridge answers on uart%d (tools/bridge.py)"
                                   % self.link.uart)
            creation = answer[0] << 24 | answer[1] << 16 | answer[2] << 8 | answer[3]
            if creation == 0:
                raise RuntimeError("the bridge on uart%d could not register the name %r "
                                   "(is a node of that name running?)" % (self.link.uart, alive))
            self.registration = channel
            return creation

    def hand_to(self, pid):
        if self.registration is not None:
            self.registration.give(pid)
        self.link.listener = pid._proc

    def incoming(self, message):
        if type(message) is tuple and len(message) == 2 and message[0] == "accepted" \
                and type(message[1]) is Channel and message[1].link is self.link:
            return (message[1],)
        return ()

    async def connect(self, peer):
        return self.link.open(("connect " + peer).encode())
