"""A tap on a board's UART, between the board and the host bridge
(tools/bridge.py), for the UART fuzzer (test_uart_fuzz.py).

What the board sends passes untouched. What the bridge sends the board is
cut into its frames (that stream is sound: the bridge writes whole frames),
which pass in order. While the tap is `damaging`, it mixes junk in between
them every JUNK_S (random bytes, truncated frames, frames with a bad CRC,
frames for channels nobody opened, headers with an oversized length), and
destroys a real frame every DESTROY_S or so (drops it, garbles a byte, or
sends only its start): a rate in time, not in frames, so that a fast
target loses no more connections than a slow one. Every other time that
is the next DATA frame, since the link's own frames and CREDITs outnumber
them on a slow target, and only a lost DATA frame costs a connection.
`counts` says what it did.
"""
import collections
import random
import select
import socket
import threading
import time

from runtime.dist import frames

JUNK_S = 0.05
DESTROY_S = 0.5
# The board's own (odd) channel numbers, far beyond any it opens in a test:
# a frame for one reaches no stream.
UNKNOWN_CHANNELS = range(201, 256, 2)


class Tap:
    def __init__(self, seed):
        self.random = random.Random(seed)
        self.damaging = False
        self.counts = collections.Counter()
        self.destroy_at = 0.0      # when the next real frame is destroyed (while damaging) ...
        self.aim_at_data = False   # ... and whether only a DATA frame will do

    def __call__(self, board, bridge):
        """Relay between the sockets to the board's UART and to the bridge
        (cluster.start_ours's `tap`), in a thread, until either closes."""
        threading.Thread(target=self._relay, args=(board, bridge), daemon=True).start()

    def _relay(self, board, bridge):
        for sock in (board, bridge):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        decoder = frames.Decoder()
        junked = time.monotonic()
        with board, bridge:
            while True:
                ready, _, _ = select.select([board, bridge], [], [], JUNK_S)
                try:
                    for sock in ready:
                        data = sock.recv(65536)
                        if not data:
                            return
                        if sock is board:
                            bridge.sendall(data)
                            continue
                        decoder.feed(data)
                        board.sendall(b"".join(self._passed(frame) for frame in decoder.frames()))
                    if self.damaging and time.monotonic() - junked >= JUNK_S:
                        junked = time.monotonic()
                        board.sendall(self._junk())
                except OSError:
                    return  # one side went away

    def _passed(self, frame):
        """What reaches the board of a real frame."""
        channel, kind, seq, payload = frame
        data = bytes(frames.encode(channel, kind, payload, seq))
        if not self.damaging or time.monotonic() < self.destroy_at \
                or self.aim_at_data and kind != frames.DATA:
            self.counts["real frames passed"] += 1
            return data
        self.destroy_at = time.monotonic() + DESTROY_S * self.random.uniform(0.5, 1.5)
        self.aim_at_data = not self.aim_at_data
        how = self.random.randrange(3)
        if how == 0:
            self.counts["real frames dropped"] += 1
            return b""
        if how == 1:
            self.counts["real frames garbled"] += 1
            at = self.random.randrange(len(data))
            return data[:at] + bytes((data[at] ^ (1 + self.random.randrange(255)),)) + data[at + 1:]
        self.counts["real frames cut short"] += 1
        return data[:self.random.randrange(1, len(data))]

    def _junk(self):
        rng = self.random
        what = rng.choice(("random bytes", "truncated frames", "bad CRCs",
                           "frames for unknown channels", "oversized lengths"))
        self.counts[what] += 1
        if what == "random bytes":
            return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
        payload = bytes(rng.randrange(256) for _ in range(rng.randrange(frames.MAX_PAYLOAD + 1)))
        frame = frames.encode(rng.choice(UNKNOWN_CHANNELS), rng.choice(frames.KINDS), payload,
                              rng.randrange(256))
        if what == "truncated frames":
            return bytes(frame[:rng.randrange(1, len(frame))])
        if what == "bad CRCs":
            frame[-1] ^= 1 + rng.randrange(255)
            return bytes(frame)
        if what == "frames for unknown channels":
            return bytes(frame)
        length = rng.randrange(frames.MAX_PAYLOAD + 1, 0x10000)
        return bytes(frame[:5]) + length.to_bytes(2, "big") + bytes(frame[7:])
