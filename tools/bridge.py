"""The host bridge: a board's node in the cluster through its UART.

    python tools/bridge.py (--connect HOST:PORT | --listen PORT | --serial DEVICE [--baud N])
                           [--bind ADDRESS]

The board's UART is a byte stream here: a TCP socket to QEMU's chardev
(--connect), one the posix build connects to (--listen; its
LIBOS_UART2=tcp:HOST:PORT), or a serial port (--serial: a real board's,
through pyserial, or the posix build's LIBOS_UART2=pty). Over it, frames (runtime/dist/frames.py) carry
channels (runtime/dist/uart_link.py). The bridge relays bytes only: the
handshake and the cookie check happen on the board.

- The board opens a channel "register NAME": the bridge listens on a TCP
  port for NAME (on --bind, loopback unless told otherwise), registers it
  with EPMD as a hidden node, answers the creation EPMD gave (4 bytes), and
  keeps the registration while the channel is open; if EPMD refuses the
  name, it answers creation 0 (which EPMD never gives) and closes it.
- A peer connects to that port: the bridge opens a channel "accept" to the
  board and relays.
- The board opens a channel "connect NODE": the bridge asks EPMD for NODE's
  port, connects, and relays; if it cannot, it closes the channel.

The link's protocol is the board's (uart_link.py, whose docstring says
what a damaged wire costs): flow control both ways (the bridge sends a
channel no more than the board's CREDIT count allows, and counts what TCP
takes of the board's bytes), a TICK every second with the link's counts
and then each channel's CREDIT count again, a channel closed (with a log
line) when a DATA frame from the board is missing, and a partial frame
given up when it has waited too long. The bridge never blocks on a peer
(its sockets are non-blocking, connects included): a peer that hangs, a
frozen node say, stalls its own channel only.
"""
import argparse
import errno
import importlib.util
import os
import select
import socket
import struct
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _frames():
    """runtime/dist/frames.py, the board's own framing, on its own: the
    runtime package around it needs a libos."""
    spec = importlib.util.spec_from_file_location(
        "frames", os.path.join(REPO, "runtime", "dist", "frames.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


frames = _frames()

TICK_S = frames.TICK_MS / 1000
STALE_S = frames.STALE_MS / 1000
EPMD_PORT = 4369


class SerialPort:
    """A serial port as the bridge reads and writes the UART: recv (b""
    once the port is gone, None when it said it was readable but had
    nothing, as a tty may), sendall, and a fileno for select."""

    def __init__(self, device, baud):
        import serial  # pyserial (tools/requirements.txt), only for a real port

        self.error = serial.SerialException
        self.port = serial.Serial(device, baud, timeout=0)

    def fileno(self):
        return self.port.fileno()

    def recv(self, n):
        try:
            return self.port.read(n)
        except self.error as e:
            # pyserial says "read failed: ..." when the device is gone (EIO
            # once the other end of a pty closed), and complains of nothing
            # to read after select said there was.
            return b"" if str(e).startswith("read failed") else None

    def sendall(self, data):
        self.port.write(data)
        self.port.flush()


def log(text):
    print("bridge: " + text, file=sys.stderr, flush=True)


def epmd_register(alive, port):
    """(socket kept open while registered, creation)."""
    name = alive.encode()
    sock = socket.create_connection(("127.0.0.1", EPMD_PORT), timeout=5)
    body = struct.pack(">BHBBHHH", 120, port, 72, 0, 6, 6, len(name)) + name + b"\0\0"
    sock.sendall(struct.pack(">H", len(body)) + body)
    head = sock.recv(2)
    if len(head) < 2 or head[1] != 0:
        sock.close()
        raise OSError("EPMD refused the name %s" % alive)
    rest = sock.recv(4) if head[0] == 118 else sock.recv(2)
    return sock, int.from_bytes(rest, "big")


def epmd_port(alive, host):
    with socket.create_connection((host, EPMD_PORT), timeout=5) as sock:
        sock.sendall(struct.pack(">HB", len(alive) + 1, 122) + alive.encode())
        answer = sock.recv(64)
    if len(answer) < 4 or answer[0] != 119 or answer[1] != 0:
        return None
    return struct.unpack(">H", answer[2:4])[0]


class Channel:
    def __init__(self, number, sock=None):
        self.number = number
        self.sock = sock          # the TCP side; None while connecting or when none
        self.connecting = None    # the socket while its connect is under way
        self.outgoing = bytearray()  # from the board, not yet taken by TCP
        self.registration = None  # a register channel: (listener, EPMD socket, name)
        self.sent = 0             # bytes sent to the board (a count, frames.py) ...
        self.board_taken = 0      # ... and the board's count of them taken
        self.sent_frames = 0      # DATA frames sent: the next one's seq
        self.received_frames = 0  # DATA frames received: the seq the next must have
        self.taken = 0            # bytes of the board's that TCP took: our CREDIT count

    def credit(self):
        """Bytes we may still send the board."""
        return frames.WINDOW - max(frames.ahead(self.sent, self.board_taken), 0)


class Bridge:
    def __init__(self, uart, bind):
        self.uart = uart
        self.bind = bind
        self.decoder = frames.Decoder()
        self.channels = {}        # number -> Channel
        self.listeners = {}       # listening socket -> its register Channel
        self.next_number = 2      # the bridge opens even channels
        self.held = []            # frames waiting for the board's credit
        self.sent = 0             # bytes of frames sent to the board (a count) ...
        self.board_taken = 0      # ... and the board's count of them read
        self.taken = 0            # bytes of the board's frames read, as it counts them ...
        self.told = 0             # ... and that count as last told to it
        self.ticked = time.monotonic()
        self.partial = None       # the decoder's partial frame when last looked ...
        self.since = 0.0          # ... and since when

    def frame(self, number, kind, payload=b"", seq=0):
        """Send a frame, or hold it until the board has room (channel 0's
        CREDIT and TICK go at once: the board keeps room for them)."""
        frame = frames.encode(number, kind, payload, seq)
        if number == 0:
            self.out(frame)
        else:
            self.held.append(frame)
            self.flush()

    def out(self, frame):
        self.uart.sendall(frame)
        self.sent = (self.sent + len(frame)) % frames.COUNT

    def flush(self):
        while self.held and max(frames.ahead(self.sent, self.board_taken), 0) \
                + len(self.held[0]) <= frames.LINK_WINDOW:
            self.out(self.held.pop(0))

    def run(self):
        while True:
            channels = list(self.channels.values())
            readable = [self.uart] + list(self.listeners)
            readable += [c.sock for c in channels
                         if c.sock is not None and c.credit() > 0 and not self.held]
            writable = [c.connecting for c in channels if c.connecting is not None]
            writable += [c.sock for c in channels if c.sock is not None and c.outgoing]
            ready, can_write, _ = select.select(readable, writable, [], self.wait_s())
            for sock in can_write:
                channel = self.owner(sock)
                if channel is None:
                    continue  # its channel closed earlier in this round
                if sock is channel.connecting:
                    self.connected(channel)
                else:
                    self.drain(channel)
            for sock in ready:
                if sock is self.uart:
                    data = self.uart.recv(65536)
                    if data is None:
                        continue
                    if not data:
                        log("the board's UART closed")
                        return
                    self.decoder.feed(data)
                elif sock in self.listeners:
                    if sock.fileno() >= 0:  # (not closed earlier in this round)
                        self.accepted(sock)
                else:
                    self.from_peer(sock)
            self.decode()
            if time.monotonic() - self.ticked >= TICK_S:
                self.tick()

    def owner(self, sock):
        return next((c for c in self.channels.values()
                     if sock is c.sock or sock is c.connecting), None)

    def wait_s(self):
        now = time.monotonic()
        wait = TICK_S - (now - self.ticked)
        if self.partial is not None:
            wait = min(wait, STALE_S - (now - self.since))
        return max(wait, 0.001)

    def decode(self):
        """The board's frames; a partial frame that waits longer than
        STALE_S is given up."""
        self.from_decoder()
        now = time.monotonic()
        if self.partial is not None and self.decoder.waiting() == self.partial \
                and now - self.since >= STALE_S:
            self.decoder.expire()
            self.from_decoder()
        if self.decoder.waiting() != self.partial:
            self.partial = self.decoder.waiting()
            self.since = now

    def from_decoder(self):
        for number, kind, seq, payload in self.decoder.frames():
            self.received(frames.OVERHEAD + len(payload))
            if number == 0:
                self.link_frame(kind, payload)
            else:
                self.from_board(number, kind, seq, payload)

    # ---- the link's counts

    def received(self, frame_bytes):
        """A sound frame of the board's was read."""
        self.taken = (self.taken + frame_bytes) % frames.COUNT
        self.grant()

    def grant(self):
        if frames.ahead(self.taken, self.told) >= frames.LINK_GRANT:
            self.told = self.taken
            self.frame(0, frames.CREDIT, frames.count(self.taken))

    def link_frame(self, kind, payload):
        """A frame of channel 0 from the board (a TICK: all the board had
        sent before it has been read, or lost)."""
        if kind == frames.CREDIT and len(payload) == 2:
            self.board_taken = frames.counted(payload)
            self.flush()
        elif kind == frames.TICK and len(payload) == 4:
            self.taken = (frames.counted(payload) + frames.OVERHEAD + len(payload)) % frames.COUNT
            self.board_taken = frames.counted(payload, 2)
            self.flush()
            self.grant()

    def tick(self):
        self.ticked = time.monotonic()
        self.told = self.taken
        self.frame(0, frames.TICK, frames.count(self.sent) + frames.count(self.taken))
        for channel in list(self.channels.values()):
            self.frame(channel.number, frames.CREDIT, frames.count(channel.taken))

    # ---- the board's frames

    def from_board(self, number, kind, seq, payload):
        channel = self.channels.get(number)
        if kind == frames.OPEN:
            self.opened(number, payload)
        elif channel is None:
            if kind != frames.CLOSE:
                self.frame(number, frames.CLOSE)
        elif kind == frames.DATA:
            if seq != channel.received_frames:
                log("channel %d lost a frame (DATA #%d came where #%d was due); closed"
                    % (number, seq, channel.received_frames))
                self.close(channel)
                return
            channel.received_frames = (seq + 1) & 255
            channel.outgoing += payload
            if channel.sock is not None:
                self.drain(channel)
        elif kind == frames.CREDIT and len(payload) == 2:
            channel.board_taken = frames.counted(payload)
        elif kind == frames.CLOSE:
            self.forget(channel)

    def opened(self, number, purpose):
        text = purpose.decode("utf-8", "replace")
        if number in self.channels:  # the board opens a number only once it is free there
            log("channel %d was opened again by the board (its CLOSE was lost)" % number)
            self.forget(self.channels[number])
        channel = self.channels[number] = Channel(number)
        if text.startswith("register "):
            self.register(channel, text[len("register "):])
        elif text.startswith("connect "):
            self.connect(channel, text[len("connect "):])
        else:
            log("channel %d: unknown purpose %r" % (number, text))
            self.close(channel)

    def register(self, channel, alive):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.bind, 0))
        listener.listen(16)
        try:
            registration, creation = epmd_register(alive, listener.getsockname()[1])
        except OSError as e:
            log("cannot register %s: %s" % (alive, e))
            listener.close()
            self.data(channel, bytes(4))
            self.close(channel)
            return
        channel.registration = (listener, registration, alive)
        self.listeners[listener] = channel
        log("%s registered at port %d" % (alive, listener.getsockname()[1]))
        self.data(channel, creation.to_bytes(4, "big"))

    def connect(self, channel, node):
        alive, _, host = node.partition("@")
        try:
            port = epmd_port(alive, host)
            if port is None:
                raise OSError("EPMD at %s knows no %s" % (host, alive))
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setblocking(False)
            status = sock.connect_ex((host, port))
            if status not in (0, errno.EINPROGRESS):
                sock.close()
                raise OSError(os.strerror(status))
        except OSError as e:
            log("channel %d: cannot reach %s: %s" % (channel.number, node, e))
            self.close(channel)
            return
        channel.connecting = sock

    def connected(self, channel):
        """Its connect finished: up, or failed."""
        sock = channel.connecting
        channel.connecting = None
        status = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if status:
            log("channel %d: cannot connect: %s" % (channel.number, os.strerror(status)))
            sock.close()
            self.close(channel)
            return
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        channel.sock = sock
        self.drain(channel)

    # ---- the peers' side

    def accepted(self, listener):
        sock, _ = listener.accept()
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        number = self.next_number
        while number in self.channels:
            number += 2
        if number > 254:
            log("no channel left for a connection to %s" % self.listeners[listener].registration[2])
            sock.close()
            return
        self.next_number = number + 2 if number + 2 <= 254 else 2
        self.channels[number] = Channel(number, sock)
        self.frame(number, frames.OPEN, b"accept")

    def from_peer(self, sock):
        channel = self.owner(sock)
        if channel is None:
            return  # its channel closed earlier in this round
        try:
            data = sock.recv(min(channel.credit(), frames.MAX_PAYLOAD))
        except BlockingIOError:
            return
        except OSError:
            data = b""  # reset by the peer: as closed
        if not data:
            self.close(channel)
            return
        self.data(channel, data)

    def data(self, channel, payload):
        """A DATA frame of the channel's stream to the board."""
        self.frame(channel.number, frames.DATA, payload, channel.sent_frames)
        channel.sent_frames = (channel.sent_frames + 1) & 255
        channel.sent = (channel.sent + len(payload)) % frames.COUNT

    def drain(self, channel):
        """Hand TCP what it takes now of the board's bytes for the peer, and
        count them taken (the board may send that many more)."""
        try:
            sent = channel.sock.send(channel.outgoing)
        except BlockingIOError:
            return
        except OSError:
            self.close(channel)
            return
        del channel.outgoing[:sent]
        channel.taken = (channel.taken + sent) % frames.COUNT
        self.frame(channel.number, frames.CREDIT, frames.count(channel.taken))

    def close(self, channel):
        """End a channel from our side."""
        if channel.number in self.channels:
            self.frame(channel.number, frames.CLOSE)
        self.forget(channel)

    def forget(self, channel):
        self.channels.pop(channel.number, None)
        for sock in (channel.sock, channel.connecting):
            if sock is not None:
                sock.close()
        channel.sock = channel.connecting = None
        if channel.registration is not None:
            listener, registration, alive = channel.registration
            self.listeners.pop(listener, None)
            listener.close()
            registration.close()
            log("%s unregistered" % alive)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--connect", metavar="HOST:PORT", help="the UART is a TCP server there")
    where.add_argument("--listen", metavar="PORT", type=int,
                       help="wait for the UART to connect to this port")
    where.add_argument("--serial", metavar="DEVICE", help="the UART is this serial port")
    parser.add_argument("--baud", type=int, default=115200, help="the serial port's speed")
    parser.add_argument("--bind", default="127.0.0.1",
                        help="the address peers reach the board's node at (default loopback)")
    args = parser.parse_args()
    if args.serial:
        Bridge(SerialPort(args.serial, args.baud), args.bind).run()
        return
    if args.connect:
        host, _, port = args.connect.rpartition(":")
        uart = socket.create_connection((host, int(port)))
    else:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", args.listen))
        server.listen(1)
        print("bridge: waiting for the UART on port %d" % server.getsockname()[1],
              file=sys.stderr, flush=True)
        uart, _ = server.accept()
        server.close()
    uart.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    Bridge(uart, args.bind).run()


if __name__ == "__main__":
    main()
