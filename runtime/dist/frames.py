"""Frames: several byte streams over one UART, each frame checked.

A frame is

    0xF7 0x5A | channel | kind | length (2 bytes) | payload | CRC (2 bytes)

big-endian, the CRC (CRC-16/CCITT-FALSE) over channel, kind, length and
payload. Channel 0 is the link itself; a connection is a channel 1..255.
Kinds: OPEN (a channel's stream begins; its payload says what to connect
to, or who connected), DATA, CLOSE, TICK (the link is alive) and CREDIT
(the receiver has room for that many more payload bytes on the channel:
flow control, so that a fast peer cannot overrun a board).

A wire loses bytes and garbles them: a frame whose CRC or length is wrong
costs that frame only. The decoder then looks for the next sync pair
after the first byte of the bad frame, so a lost byte never costs more than
the frames it touched; what it skipped is counted, for the link's report.
"""
MAX_PAYLOAD = 256    # bytes: a netduinoplus2 holds several channels' worth
SYNC = b"\xf7\x5a"
HEADER = 6           # sync, channel, kind, length
OVERHEAD = HEADER + 2

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


def encode(channel, kind, payload=b""):
    """The bytes of one frame."""
    if not 0 <= channel <= 255:
        raise ValueError("a channel is 0..255, got %r" % (channel,))
    if kind not in KINDS:
        raise ValueError("unknown frame kind %r" % (kind,))
    n = len(payload)
    if n > MAX_PAYLOAD:
        raise ValueError("a frame holds at most %d bytes, got %d" % (MAX_PAYLOAD, n))
    frame = bytearray(SYNC)
    frame += bytes((channel, kind, n >> 8, n & 255))
    frame += payload
    crc = crc16(frame, 2)
    frame += bytes((crc >> 8, crc & 255))
    return frame


class Decoder:
    """Frames out of a byte stream that may lose, add or garble bytes."""

    def __init__(self):
        self.buffer = bytearray()
        self.skipped = 0   # bytes dropped looking for a frame
        self.bad = 0       # frames dropped: wrong length, kind or CRC

    def feed(self, data):
        self.buffer += data

    def frames(self):
        """The whole, sound frames now in the buffer, as (channel, kind,
        payload) tuples; what remains is the start of a frame."""
        found = []
        buffer = self.buffer
        while True:
            at = buffer.find(SYNC)
            if at < 0:
                # Keep a last 0xF7: it may be the start of a sync pair.
                keep = 1 if buffer and buffer[-1] == SYNC[0] else 0
                self.skipped += len(buffer) - keep
                buffer[:len(buffer) - keep] = b""
                return found
            if at:
                self.skipped += at
                buffer[:at] = b""
            if len(buffer) < HEADER:
                return found
            channel, kind = buffer[2], buffer[3]
            n = buffer[4] << 8 | buffer[5]
            if n > MAX_PAYLOAD or kind not in KINDS:
                self._drop_sync()
                continue
            if len(buffer) < n + OVERHEAD:
                return found
            crc = buffer[HEADER + n] << 8 | buffer[HEADER + n + 1]
            if crc != crc16(buffer, 2, HEADER + n):
                self._drop_sync()
                continue
            found.append((channel, kind, bytes(buffer[HEADER:HEADER + n])))
            buffer[:n + OVERHEAD] = b""

    def _drop_sync(self):
        """A bad frame: look again after its first byte."""
        self.bad += 1
        self.skipped += 1
        self.buffer[:1] = b""
