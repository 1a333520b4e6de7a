"""The distribution handshake, version 6 (OTP 23 and later), in both roles.

Each message has a 2-byte length. The initiator sends its name ('N', flags,
creation, name); the acceptor answers with a status ('s' "ok") and its own
name and a challenge; the initiator proves it knows the cookie (a digest of
the cookie and that challenge) and sends its own challenge ('r'); the
acceptor proves it knows the cookie too ('a'). A wrong digest, on either
side, ends the connection: the cookie is never sent.

The acceptor's status also settles two nodes connecting at once, and a node
that connects again after it restarted (`arbitrate`): "nok" (the connection
we started to it wins; the initiator waits for it), "ok_simultaneous" (its
wins; ours is dropped), "alive" (we still have a connection to that name:
the initiator answers "true", being a new incarnation that has none, and the
old connection is replaced).
"""
import struct

import libos

from runtime.dist.md5 import md5
from runtime.terms import TIMEOUT

# Flags (DFLAG_*) as OTP 25 spells them.
EXTENDED_REFERENCES = 0x4
DIST_MONITOR = 0x8
FUN_TAGS = 0x10
DIST_MONITOR_NAME = 0x20
NEW_FUN_TAGS = 0x80
EXTENDED_PIDS_PORTS = 0x100
EXPORT_PTR_TAG = 0x200
BIT_BINARIES = 0x400
NEW_FLOATS = 0x800
DIST_HDR_ATOM_CACHE = 0x2000
UTF8_ATOMS = 0x10000
MAP_TAG = 0x20000
BIG_CREATION = 0x40000
FRAGMENTS = 0x800000
HANDSHAKE_23 = 0x1000000
UNLINK_ID = 0x2000000
MANDATORY_25_DIGEST = 0x4000000
SPAWN = 0x100000000
V4_NC = 0x400000000

# What OTP 25 refuses a connection without.
MANDATORY = (EXTENDED_REFERENCES | FUN_TAGS | NEW_FUN_TAGS | EXTENDED_PIDS_PORTS
             | EXPORT_PTR_TAG | BIT_BINARIES | NEW_FLOATS | UTF8_ATOMS | MAP_TAG
             | BIG_CREATION | HANDSHAKE_23)
# What we offer: never the atom cache or fragments, so that every packet is
# a plain control message and payload; not PUBLISHED, so we are hidden.
OURS = (MANDATORY | MANDATORY_25_DIGEST | UNLINK_ID | V4_NC | DIST_MONITOR | DIST_MONITOR_NAME
        | SPAWN)
# What we need of a peer beyond the mandatory set.
NEEDED = MANDATORY | UNLINK_ID

TIMEOUT_MS = 7000  # OTP's default net_setuptime
MAX_MESSAGE = 1 + 8 + 4 + 4 + 2 + 1024  # the longest name message: a name of 255 characters in UTF-8


class HandshakeError(Exception):
    """The handshake failed: str() says with whom and why."""

    def __init__(self, peer, problem):
        super().__init__("%s: %s" % (peer, problem))


class Superseded(Exception):
    """The peer answered "nok": it is connecting to us at the same moment
    and its connection wins."""


def digest(challenge, cookie):
    return md5(cookie.encode() + str(challenge).encode())


def unpredictable():
    """32 bits a peer cannot well guess (the clock's low bits, mixed): the
    challenges here, a UART link's session (uart_link.py), a wired node's
    creation (wire.py)."""
    return (libos.ticks_us() * 2654435761 + id(object())) & 0xFFFFFFFF


async def _receive(stream, peer):
    head = await stream.read_exactly(2, TIMEOUT_MS)
    if head is TIMEOUT:
        raise HandshakeError(peer, "the handshake timed out")
    n = struct.unpack(">H", head)[0]
    if not 0 < n <= MAX_MESSAGE:
        raise HandshakeError(peer, "a handshake message of %d bytes (1 to %d make sense)"
                             % (n, MAX_MESSAGE))
    body = await stream.read_exactly(n, TIMEOUT_MS)
    if body is TIMEOUT:
        raise HandshakeError(peer, "the handshake timed out")
    return body


def _send(stream, body):
    stream.write(struct.pack(">H", len(body)) + body)


def _name_message(flags, name, creation, challenge=None):
    text = name.encode()
    middle = b"" if challenge is None else struct.pack(">I", challenge)
    return (b"N" + struct.pack(">Q", flags) + middle
            + struct.pack(">IH", creation, len(text)) + text)


def _parse_name(body, with_challenge, peer):
    """(flags, challenge, creation, name) of an 'N' message."""
    at = 13 if with_challenge else 9
    if body[:1] != b"N" or len(body) < at + 6:
        raise HandshakeError(peer, "expected a name message ('N'), got %r" % bytes(body[:16]))
    flags = struct.unpack(">Q", body[1:9])[0]
    challenge = struct.unpack(">I", body[9:13])[0] if with_challenge else None
    creation, length = struct.unpack(">IH", body[at:at + 6])
    name = bytes(body[at + 6:at + 6 + length])
    if len(name) != length or b"@" not in name:
        raise HandshakeError(peer, "a malformed node name %r" % name)
    return flags, challenge, creation, name.decode()


def _check_flags(flags, peer):
    missing = NEEDED & ~flags
    if missing:
        raise HandshakeError(peer, "the peer lacks distribution flags 0x%x" % missing)


async def initiate(stream, me, creation, cookie, peer):
    """The handshake as the node that connected to `peer`; raises
    HandshakeError if it fails."""
    _send(stream, _name_message(OURS, me, creation))
    status = await _receive(stream, peer)
    if status[:1] != b"s":
        raise HandshakeError(peer, "expected a status, got %r" % bytes(status[:16]))
    if status[1:] == b"nok":
        raise Superseded()
    if status[1:] == b"alive":
        _send(stream, b"strue")  # we are a new incarnation: we have no connection to it
    elif status[1:] not in (b"ok", b"ok_simultaneous"):
        raise HandshakeError(peer, "the peer refused the connection (%s)"
                             % bytes(status[1:]).decode("utf-8", "replace"))
    flags, challenge, _, name = _parse_name(await _receive(stream, peer), True, peer)
    _check_flags(flags, peer)
    if name != peer:
        raise HandshakeError(peer, "the peer calls itself %s" % name)
    mine = unpredictable()
    _send(stream, b"r" + struct.pack(">I", mine) + digest(challenge, cookie))
    ack = await _receive(stream, peer)
    if ack[:1] != b"a" or bytes(ack[1:]) != digest(mine, cookie):
        raise HandshakeError(peer, "the peer's cookie is not ours")


async def accept(stream, me, creation, cookie, peer_address, arbitrate):
    """The handshake as the node that was connected to; returns the peer's
    name, None if the connection this node is making to it wins, or raises
    HandshakeError. arbitrate(name) gives the status: b"ok",
    b"ok_simultaneous", b"nok" or b"alive"."""
    first = await _receive(stream, peer_address)
    if first[:1] == b"n":
        raise HandshakeError(peer_address, "the peer speaks the old handshake (version 5)")
    flags, _, _, name = _parse_name(first, False, peer_address)
    _check_flags(flags, name)
    status = arbitrate(name)
    _send(stream, b"s" + status)
    if status == b"nok":
        return None
    if status == b"alive":
        answer = await _receive(stream, name)
        if bytes(answer) != b"strue":
            raise HandshakeError(name, "the peer is connected already (it answered %r)"
                                 % bytes(answer[:16]))
    mine = unpredictable()
    _send(stream, _name_message(OURS, me, creation, mine))
    reply = await _receive(stream, name)
    if reply[:1] != b"r" or len(reply) != 21:
        raise HandshakeError(name, "expected a challenge reply ('r'), got %r"
                             % bytes(reply[:16]))
    if bytes(reply[5:]) != digest(mine, cookie):
        raise HandshakeError(name, "the peer's cookie is not ours")
    _send(stream, b"a" + digest(struct.unpack(">I", reply[1:5])[0], cookie))
    return name
