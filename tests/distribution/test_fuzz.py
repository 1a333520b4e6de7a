"""Hostile peers against our node, on CPython and the posix build: malformed
handshakes, a wrong cookie, and after a good handshake malformed packets,
bad terms, unknown control messages, an oversized packet and damaged copies
of a good one (posix-uart: through the host bridge, to the posix build
reached as a board is, over its UART). Each connection must be dropped by
our node, with a log line naming the peer and the problem, while a real OTP node stays connected
through it all (no nodedown) and then passes its checks.
"""
import hashlib
import random
import socket
import struct

import pytest

from cluster import COOKIE, compile_peer, judged, start_erl, start_ours

FLAGS = 0x407070FBC          # OTP 25's mandatory set, the digest bit, UNLINK_ID, V4_NC, monitors
DROP_TIMEOUT = 10            # s for our node to drop a connection it was given junk on
MUTATIONS = 40
DAMAGED_TIMEOUT = 0.3        # s to wait for a drop after a damaged copy, which may be good


@pytest.fixture(scope="module")
def peer_code(tmp_path_factory):
    return compile_peer(str(tmp_path_factory.mktemp("erl")))


def port_of(name):
    """Our node's port, from EPMD."""
    alive = name.split("@")[0].encode()
    with socket.create_connection(("127.0.0.1", 4369), timeout=5) as epmd:
        epmd.sendall(struct.pack(">HB", len(alive) + 1, 122) + alive)
        answer = epmd.recv(64)
    assert answer[:2] == bytes((119, 0)), answer
    return struct.unpack(">H", answer[2:4])[0]


def digest(challenge, cookie):
    return hashlib.md5(cookie.encode() + str(challenge).encode()).digest()


class Peer:
    """A TCP connection to our node, as a node would open it."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=DROP_TIMEOUT)

    def send(self, data):
        try:
            self.sock.sendall(data)
        except OSError:
            pass  # dropped already: what the test waits for anyway

    def message(self, body):
        self.send(struct.pack(">H", len(body)) + body)

    def receive_message(self):
        head = self._exactly(2)
        return self._exactly(struct.unpack(">H", head)[0])

    def _exactly(self, n):
        data = b""
        while len(data) < n:
            try:
                chunk = self.sock.recv(n - len(data))
            except ConnectionResetError:
                chunk = b""  # (a close with our bytes unread, as through the bridge)
            assert chunk, "our node closed the connection during the handshake"
            data += chunk
        return data

    def handshake(self, name, cookie=COOKIE, flags=FLAGS):
        self.message(b"N" + struct.pack(">QIH", flags, 7, len(name)) + name.encode())
        assert self.receive_message() == b"sok"
        theirs = self.receive_message()
        challenge = struct.unpack(">I", theirs[9:13])[0]
        self.message(b"r" + struct.pack(">I", 42) + digest(challenge, cookie))
        ack = self.receive_message()
        assert ack == b"a" + digest(42, cookie), ack

    def dropped(self, timeout=DROP_TIMEOUT):
        """True once our node has closed the connection (False if it keeps
        it open for `timeout` s)."""
        self.sock.settimeout(timeout)
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    return True
                # a tick, or an answer to something: keep reading
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True
        finally:
            self.sock.close()


def packet(body):
    return struct.pack(">I", len(body)) + body


def atom(text):
    raw = text.encode()
    return bytes((119, len(raw))) + raw


def send_to_name(name):
    """A good REG_SEND packet: {6, From, '', Name} with the payload ok."""
    sender = bytes((88,)) + atom("fuzz@127.0.0.1") + struct.pack(">III", 1, 0, 7)
    control = b"\x83" + bytes((104, 4, 97, 6)) + sender + atom("") + atom(name)
    return packet(b"p" + control + b"\x83" + atom("ok"))


BEFORE_HANDSHAKE = {
    "garbage": bytes(random.Random(1).randrange(256) for _ in range(300)),
    "an old handshake": struct.pack(">H", 10) + b"n" + struct.pack(">HI", 5, 0x3FFFF) + b"a@b",
    "an empty message": b"\0\0",
    "a name without @": struct.pack(">H", 21) + b"N" + struct.pack(">QIH", FLAGS, 7, 6) + b"nonode",
}

AFTER_HANDSHAKE = {
    "a packet that is not 112": packet(b"q\x83\x6a"),
    "a term that is not one": packet(b"p\x83\xff\xff\xff"),
    "an unknown control message": packet(b"p\x83" + bytes((104, 2, 97, 99, 106))),
    "a control message of the wrong size": packet(b"p\x83" + bytes((104, 2, 97, 2, 106))),
    "a control message that is no tuple": packet(b"p\x83\x6a"),
    "an oversized packet": struct.pack(">I", 0x7FFFFFFF) + b"p" * 1000,
    "a term nested too deep": packet(b"p\x83" + bytes((104, 1)) * 20000),
    "a message with nothing after the control": packet(
        b"p\x83" + bytes((104, 3, 97, 2)) + atom("") + atom("agent")),
}


# (posix-uart runs the posix build's code as posix does, and the bridge too.)
@pytest.mark.parametrize("target", ["cpython", "posix-uart"])
def test_hostile_peers_are_dropped_and_the_real_one_is_served(peer_code, target):
    ours, name = start_ours(target)
    watcher = start_erl(peer_code, "watch_node", name)
    erl = None
    try:
        watcher.output.wait_for(lambda l: l == "ready", 30)
        port = port_of(name)
        kept = []
        for what, data in BEFORE_HANDSHAKE.items():
            peer = Peer(port)
            peer.send(data)
            if not peer.dropped():
                kept.append(what)
        peer = Peer(port)
        peer.message(b"N" + struct.pack(">QIH", 0x1000000, 7, 14) + b"fuzz0@127.0.0.1"[:14])
        if not peer.dropped():
            kept.append("missing flags")
        with pytest.raises(AssertionError):
            Peer(port).handshake("fuzz1@127.0.0.1", cookie="not-the-cookie")
        cases = list(AFTER_HANDSHAKE.items())
        good = send_to_name("agent")
        rng = random.Random(7)
        for i in range(MUTATIONS):
            damaged = bytearray(good)
            at = rng.randrange(4, len(damaged))
            damaged[at] = rng.randrange(256)
            cases.append(("damaged copy %d" % i, bytes(damaged)))
        for i, (what, data) in enumerate(cases):
            peer = Peer(port)
            peer.handshake("fuzz%d@127.0.0.1" % (i + 2))
            peer.send(data)
            if what.startswith("damaged"):
                peer.dropped(DAMAGED_TIMEOUT)  # a damaged copy may still be a good packet
            elif not peer.dropped():
                kept.append(what)
        assert kept == [], "our node kept these connections open: %s" % kept
        for what in ("old handshake", "a handshake message of 0 bytes", "malformed node name",
                     "lacks distribution flags", "cookie is not ours", "does not start with 112", "unknown or unsupported",
                     "with 2 elements, not 3", "over the limit", "nested deeper"):
            ours.output.wait_for(lambda l: what in l and "node " in l, 5)
        assert "nodedown" not in watcher.output.text()
        erl = start_erl(peer_code, "checks", name)
        judged(erl)
    finally:
        for process in (erl, watcher, ours):
            if process is not None:
                process.stop()
