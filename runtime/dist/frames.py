"""Frames: several byte streams over one UART, each frame checked.

A frame is

    0xF7 0x5A | channel | kind | seq | length (2 bytes) | payload | CRC (2 bytes)

big-endian, the CRC (CRC-16/CCITT-FALSE) over channel, kind, seq, length
and payload. Channel 0 is the link itself; a connection is a channel
1..255. Kinds:

    OPEN    a channel's stream begins; the payload says what to connect to,
            or who connected
    DATA    the next bytes of the channel's stream; seq numbers the DATA
            frames of a channel in each direction, from 0 (mod 256), so a
            receiver sees when one was lost: its stream has a hole, and the
            channel is closed (other kinds carry seq 0)
    CLOSE   the channel's stream ends
    CREDIT  flow control, so that a fast peer cannot overrun a board: the
            payload is a count (2 bytes) of the bytes the receiver has taken
            since the channel opened (channel 0: the bytes of the sound
            frames it read from the UART, garbage never counted), mod 65536.
            A count, not an increment: a lost CREDIT is repaired by the
            next one
    TICK    the link is alive, and its counts (channel 0 only): the bytes of
            frames the sender had sent before this one (2), and its CREDIT
            count of channel 0 (2). The receiver's count of the sender's
            bytes is then that plus the TICK itself: frames lost on the wire,
            which it never counted, no longer hold back the sender's credit

A wire loses bytes and garbles them: a frame whose CRC or length is wrong
costs that frame only. The decoder then looks for the next sync pair
after the first byte of the bad frame, so a lost byte never costs more than
the frames it touched; what it skipped is counted, for the link's report. A
frame that never completes (its length garbled upwards, or its tail lost
with nothing after it) would hold the frames behind it until enough bytes
came to make up its length: the link gives it up when it has waited too
long (`waiting`, `expire`).
"""
MAX_PAYLOAD = 256    # bytes: a netduinoplus2 holds several channels' worth

# The link's protocol, the same at both ends (uart_link.py, tools/bridge.py).
WINDOW = 1024        # bytes a side may send on a channel before the peer takes them
LINK_WINDOW = 1536   # bytes of frames a side may send before the peer has read them from
                     # its UART (libos's RX ring holds 2048: room for the exempt frames)
LINK_GRANT = 256     # read this many, then say so (a CREDIT on channel 0)
TICK_MS = 1000       # a TICK frame this often, then each channel's CREDIT count again
STALE_MS = 250       # a partial frame waiting longer is given up: two whole frames take
                     # 46 ms at 115200 baud; the rest is for a link process that waits its turn
SYNC = b"\xf7\x5a"
HEADER = 7           # sync, channel, kind, seq, length
OVERHEAD = HEADER + 2
COUNT = 0x10000      # CREDIT and TICK counts are mod this

OPEN = 1
DATA = 2
CLOSE = 3
TICK = 4
CREDIT = 5
KINDS = (OPEN, DATA, CLOSE, TICK, CREDIT)


def _table():
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
        table.append(crc & 0xFFFF)
    return tuple(table)


_CRC_TABLE = _table()


def crc16(data, start=0, end=None, crc=0xFFFF):
    """CRC-16/CCITT-FALSE of data[start:end]."""
    table = _CRC_TABLE
    for i in range(start, len(data) if end is None else end):
        crc = ((crc << 8) & 0xFFFF) ^ table[(crc >> 8) ^ data[i]]
    return crc


def encode(channel, kind, payload=b"", seq=0):
    """The bytes of one frame."""
    if not 0 <= channel <= 255:
        raise ValueError("a channel is 0..255, got %r" % (channel,))
    if kind not in KINDS:
        raise ValueError("unknown frame kind %r" % (kind,))
    if not 0 <= seq <= 255:
        raise ValueError("a seq is 0..255, got %r" % (seq,))
    n = len(payload)
    if n > MAX_PAYLOAD:
        raise ValueError("a frame holds at most %d bytes, got %d" % (MAX_PAYLOAD, n))
    frame = bytearray(SYNC)
    frame += bytes((channel, kind, seq, n >> 8, n & 255))
    frame += payload
    crc = crc16(frame, 2)
    frame += bytes((crc >> 8, crc & 255))
    return frame


def count(n):
    """A CREDIT or TICK count's 2 bytes."""
    return bytes((n >> 8 & 255, n & 255))


def counted(payload, at=0):
    """The count at payload[at:at + 2]."""
    return payload[at] << 8 | payload[at + 1]


def ahead(a, b):
    """How far count a is ahead of count b (negative: behind), both mod
    COUNT and less than half of it apart."""
    return (a - b + COUNT // 2) % COUNT - COUNT // 2


class Decoder:
    """Frames out of a byte stream that may lose, add or garble bytes."""

    def __init__(self):
        self.buffer = bytearray()
        self.skipped = 0   # bytes dropped looking for a frame
        self.bad = 0       # frames dropped: wrong length, kind or CRC, or never completed
        self.consumed = 0  # bytes taken off the buffer's front so far (mod 2**30)

    def feed(self, data):
        self.buffer += data

    def frames(self):
        """The whole, sound frames now in the buffer, as (channel, kind,
        seq, payload) tuples; what remains is the start of a frame."""
        found = []
        buffer = self.buffer
        while True:
            at = buffer.find(SYNC)
            if at < 0:
                # Keep a last 0xF7: it may be the start of a sync pair.
                self._drop(len(buffer) - (1 if buffer and buffer[-1] == SYNC[0] else 0))
                return found
            self._drop(at)
            if len(buffer) < HEADER:
                return found
            kind = buffer[3]
            n = buffer[5] << 8 | buffer[6]
            if n > MAX_PAYLOAD or kind not in KINDS:
                self._bad()
                continue
            if len(buffer) < n + OVERHEAD:
                return found
            crc = buffer[HEADER + n] << 8 | buffer[HEADER + n + 1]
            if crc != crc16(buffer, 2, HEADER + n):
                self._bad()
                continue
            found.append((buffer[2], kind, buffer[4], bytes(buffer[HEADER:HEADER + n])))
            self._take(n + OVERHEAD)

    def waiting(self):
        """Which partial frame the buffer starts with, or None: the same
        value for as long as the same one waits for the rest of its bytes."""
        return self.consumed if self.buffer else None

    def expire(self):
        """The partial frame at the buffer's start has waited too long: give
        it up and look again after its first byte (frames())."""
        if self.buffer:
            self._bad()

    def _bad(self):
        self.bad += 1
        self._drop(1)

    def _drop(self, n):
        self.skipped += n
        self._take(n)

    def _take(self, n):
        if n:
            self.buffer[:n] = b""
            self.consumed = (self.consumed + n) & 0x3FFFFFFF
