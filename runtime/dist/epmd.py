"""EPMD, the port mapper: where a node registers its name and port, and
where it asks for the port of a node it wants to reach.

Every request is a 2-byte length and the request. Registering (ALIVE2_REQ)
keeps its connection open: EPMD forgets the name when it closes, so the
registering process holds it for as long as the node is up. A port query
(PORT_PLEASE2_REQ) is answered and closed.
"""
import struct

from runtime.dist.carrier import Closed, Stream
from runtime.terms import TIMEOUT

PORT = 4369
ALIVE2_REQ = 120
ALIVE2_X_RESP = 118
ALIVE2_RESP = 121
PORT_PLEASE2_REQ = 122
PORT2_RESP = 119
HIDDEN_NODE = 72
TCP_IPV4 = 0
VERSION = 6
TIMEOUT_MS = 5000


class EpmdError(Exception):
    pass


async def _open(host):
    try:
        return await Stream.connect(host, PORT, TIMEOUT_MS)
    except Closed as e:
        raise EpmdError("no EPMD answers on %s:%d (%s); start one with `epmd -daemon`"
                        % (host, PORT, e))


def _request(body):
    return struct.pack(">H", len(body)) + body


async def _read(stream, n, what):
    data = await stream.read_exactly(n, TIMEOUT_MS)
    if data is TIMEOUT:
        raise EpmdError("EPMD did not answer %s" % what)
    return data


async def register(alive, port, host="127.0.0.1"):
    """Register node name `alive` (the part before '@') at `port` as a
    hidden node; return (stream, creation). Closing the stream unregisters."""
    name = alive.encode()
    stream = await _open(host)
    stream.write(_request(struct.pack(">BHBBHHH", ALIVE2_REQ, port, HIDDEN_NODE, TCP_IPV4,
                                      VERSION, VERSION, len(name)) + name + b"\0\0"))
    try:
        tag, result = await _read(stream, 2, "a registration")
        if tag == ALIVE2_X_RESP:
            creation = struct.unpack(">I", await _read(stream, 4, "a registration"))[0]
        elif tag == ALIVE2_RESP:
            creation = struct.unpack(">H", await _read(stream, 2, "a registration"))[0]
        else:
            raise EpmdError("EPMD answered a registration with tag %d" % tag)
    except (Closed, EpmdError):
        stream.close()
        raise
    if result != 0:
        stream.close()
        raise EpmdError("EPMD refused the name %r (result %d): is a node of that name "
                        "running?" % (alive, result))
    return stream, creation


async def port_please(alive, host):
    """The port node `alive` listens on at `host`, or None if EPMD there
    knows no such node."""
    stream = await _open(host)
    try:
        stream.write(_request(bytes((PORT_PLEASE2_REQ,)) + alive.encode()))
        tag, result = await _read(stream, 2, "a port query")
        if tag != PORT2_RESP:
            raise EpmdError("EPMD answered a port query with tag %d" % tag)
        if result != 0:
            return None
        return struct.unpack(">H", await _read(stream, 2, "a port query"))[0]
    except Closed:
        return None
    finally:
        stream.close()
