"""Control messages: the signals that cross a connection, as OTP 25 writes
them (the first element of each tuple is the operation).

A packet is 'p' (112), the control message and, for messages, the payload,
each a term with its version byte. Our flags never ask for the atom cache
or fragments, so OTP sends nothing else (and a zero-length packet, a tick).
"""
import struct

from runtime.dist import etf
from runtime.logger import describe

PASS_THROUGH = 112

LINK = 1
SEND = 2
EXIT = 3
UNLINK = 4
REG_SEND = 6
EXIT2 = 8
MONITOR_P = 19
DEMONITOR_P = 20
MONITOR_P_EXIT = 21
SPAWN_REQUEST = 29
SPAWN_REPLY = 31
UNLINK_ID = 35
UNLINK_ID_ACK = 36

# The shape of each control message we take: its operation and length.
ARITY = {LINK: 3, SEND: 3, EXIT: 4, UNLINK: 3, REG_SEND: 4, EXIT2: 4, MONITOR_P: 4,
         DEMONITOR_P: 4, MONITOR_P_EXIT: 5, UNLINK_ID: 4, UNLINK_ID_ACK: 4, SPAWN_REQUEST: 6,
         SPAWN_REPLY: 5}
# The ones followed by a payload (a message; SPAWN_REQUEST: the arguments).
WITH_PAYLOAD = (SEND, REG_SEND, SPAWN_REQUEST)


def packet(adapter, control, payload=None):
    """The bytes of one packet, with its 4-byte length; ValueError or
    TypeError (naming the part) if a term cannot be encoded."""
    out = bytearray(b"\0\0\0\0")
    out.append(PASS_THROUGH)
    etf.encode_into(out, control, adapter)
    if control[0] in WITH_PAYLOAD:
        etf.encode_into(out, payload, adapter)
    n = len(out) - 4
    struct.pack_into(">I", out, 0, n)
    return out


def reason_term(reason):
    """An exit reason as a term Erlang can hold: an exception becomes
    (its class name, its text as a binary), as rpc reports one."""
    if isinstance(reason, BaseException):
        name = type(reason).__name__
        text = describe(reason)  # (guarded: str() of a hostile exception may raise)
        if text.startswith(name + ": "):
            text = text[len(name) + 2:]
        return (name, text.encode())
    return reason


def with_reason(adapter, head, reason):
    """The packet of control message `head` + (reason,): one that has no
    Erlang form (a Python object inside) goes as the text describe() gives."""
    try:
        return packet(adapter, head + (reason_term(reason),))
    except (TypeError, ValueError):
        return packet(adapter, head + (describe(reason).encode(),))


def parse(data, adapter):
    """(control, payload) of packet `data` (without its length); payload is
    None for signals. ValueError naming the problem if it is malformed."""
    if not data or data[0] != PASS_THROUGH:
        raise ValueError("a packet that does not start with 112 (it starts with %r)"
                         % bytes(data[:1]))
    control, end = etf.decode_term(data, 1, adapter, True)
    if type(control) is not tuple or not control or type(control[0]) is not int:
        raise ValueError("a control message that is not a tuple with an operation: %r"
                         % (control,))
    op = control[0]
    arity = ARITY.get(op)
    if arity is None:
        raise ValueError("an unknown or unsupported control message %d" % op)
    if len(control) != arity:
        raise ValueError("control message %d with %d elements, not %d"
                         % (op, len(control), arity))
    payload = None
    if op in WITH_PAYLOAD:
        payload, end = etf.decode_term(data, end, adapter, True)
    if end != len(data):
        raise ValueError("%d bytes after control message %d" % (len(data) - end, op))
    return control, payload
