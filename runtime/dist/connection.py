"""A connection: one process per peer node, which owns the stream to it.

It does the handshake (as the node that connected, or the one connected
to), then turns packets from the peer into local signals and messages, and
writes the packets local processes hand it (netkernel.Router encodes them
in the sender, so a term that cannot be encoded fails there, and the stream only
ever gets whole packets). It sends a tick after a quarter of the tick time
without sending, and gives the peer up after a tick time without hearing
from it.

What the connection knows outlives it in its Connection record, which the
node (netkernel.py) reads when the process ends, however it ends: the links
and monitors across it then end with `noconnection`.

Anything malformed from the peer (a packet that is not a term, an unknown
control message, a packet over the size limit) ends the connection with a
log line naming the peer and the problem; nothing else is touched.
"""
import struct

import libos

from runtime import api, links, logger, monitors, signals
from runtime.dist import control, epmd, handshake, rpc
from runtime.dist.carrier import Closed
from runtime.receive import deliver
from runtime.scheduler import SCHEDULER
from runtime.terms import TIMEOUT, Pid, Ref, SystemLimit
from runtime.traps import receive, sleep

# Requests from local processes (netkernel.Router), the first element of each.
OUT = "$dist_out"              # (OUT, packet): write it
SPAWN_REPLY = "$spawn_reply"   # to the requester of a spawn that failed: (SPAWN_REPLY, ref, reason)
SPAWN_MONITOR = 2              # SPAWN_REPLY's flags: a monitor was set up ...
SPAWN_LINK = 1                 # ... a link was
DISCONNECT = "$dist_disconnect"
CONNECTED = "$dist_connected"  # to each process waiting in node.connect: (CONNECTED, peer)


class Connection:
    """The node's record of one connection, shared with its process. The
    links and monitors across it are noted here by whoever makes them, at
    once, so that they end with `noconnection` even if the connection
    fails before it has sent them."""

    def __init__(self, peer):
        self.peer = peer
        self.pid = None
        self.up = False
        self.links = []        # (local pid, remote pid) linked across it
        self.monitors = {}     # Ref of a local watcher's monitor on a remote process -> Ref
        self.watched = {}      # peer's monitor Ref -> (our Ref of it, watcher pid, as it named the target)
        self.waiters = []      # Pids waiting in node.connect until it is up
        self.unlink_id = 0
        self.reason = "connection_closed"  # why it ended, for the log

    def forget_link(self, local, remote):
        pair = (local, remote)
        if pair in self.links:
            self.links.remove(pair)


class _Link:
    """One connection's process state."""

    def __init__(self, node, conn, stream):
        self.conn = conn
        self.stream = stream
        now = libos.ticks_ms()
        self.heard = now
        self.arrived = stream.arrived  # bytes the stream had brought when we last heard the peer
        self.said = now
        self.adapter = node.identity
        self.packet = None   # the packet being gathered, or None between packets
        self.need = 0        # its length

    def write(self, packet):
        self.stream.write(packet)
        self.said = libos.ticks_ms()

    def send_control(self, term, payload=None):
        self.write(control.packet(self.adapter, term, payload))

    # ---- from the peer

    def pump(self):
        """Take what arrived: a packet at a time, each gathered as it comes
        (a carrier's window may be smaller than a packet)."""
        stream = self.stream
        alive = stream.pump()
        inbox = stream.inbox
        # Counted by the carrier: a UART link puts bytes in the inbox before
        # the event that brings us here.
        if stream.arrived != self.arrived:
            self.arrived = stream.arrived
            self.heard = libos.ticks_ms()
        while True:
            if self.packet is None:
                if len(inbox) < 4:
                    break
                n = struct.unpack(">I", stream.take(4))[0]
                if n > stream.max_packet:
                    raise ValueError("a packet of %d bytes, over the limit of %d"
                                     % (n, stream.max_packet))
                if n:  # (none: a tick)
                    self.packet = bytearray()
                    self.need = n
                continue
            more = min(len(inbox), self.need - len(self.packet))
            if not more:
                break
            self.packet += stream.take(more)
            if len(self.packet) == self.need:
                data = self.packet
                self.packet = None
                self.handle(*control.parse(data, self.adapter))
        if not alive:
            raise Closed("the peer closed the connection")

    def handle(self, ctl, payload):
        s = SCHEDULER
        op = ctl[0]
        if op == control.SEND:
            to = ctl[2]
            if type(to) is Pid and to._proc is not None:
                deliver(s, to._proc, payload)
        elif op == control.REG_SEND:
            name = ctl[3]
            if type(name) is str:
                holder = api.whereis(name)
                if holder is not None:
                    deliver(s, holder._proc, payload)
        elif op == control.LINK:
            sender, to = self._pids(ctl[1], ctl[2])
            self.conn.links.append((to, sender))
            signals.signal(s, to, signals.LINK, sender)
        elif op == control.UNLINK_ID or op == control.UNLINK:
            sender, to = self._pids(*ctl[-2:])
            self.conn.forget_link(to, sender)
            signals.signal(s, to, signals.UNLINK, sender)
            if op == control.UNLINK_ID:
                self.send_control((control.UNLINK_ID_ACK, ctl[1], to, sender))
        elif op == control.EXIT:
            sender, to = self._pids(ctl[1], ctl[2])
            self.conn.forget_link(to, sender)
            # After unlink() no exit of that link arrives, though one may be
            # on its way while our UNLINK_ID is (until the peer's ack).
            if to._proc is not None and links.has(to._proc, sender):
                signals.signal(s, to, signals.EXIT_LINKED, sender, ctl[3])
        elif op == control.EXIT2:
            sender, to = self._pids(ctl[1], ctl[2])
            signals.signal(s, to, signals.EXIT, sender, ctl[3])
        elif op == control.MONITOR_P:
            self._monitored(ctl[1], ctl[2], ctl[3])
        elif op == control.DEMONITOR_P:
            watched = self.conn.watched.pop(ctl[3], None)
            if watched is not None:
                api.demonitor(watched[0], True)
        elif op == control.MONITOR_P_EXIT:
            ref = self.conn.monitors.pop(ctl[3], None)
            if ref is not None:
                target = ref.away
                ref.away = None
                monitors.down_at_once(s, ref, target, ctl[4])
        elif op == control.SPAWN_REQUEST:
            self._spawn(ctl, payload)
        elif op == control.SPAWN_REPLY:
            self._spawned(ctl[1], ctl[4])
        # UNLINK_ID_ACK: our unlink is done; nothing is kept waiting for it

    def _spawn(self, ctl, args):
        """A spawn request (rpc:call's): start the process, answer, then
        link and monitor it as asked."""
        request, sender, mfa, options = ctl[1], ctl[2], ctl[4], ctl[5]
        if type(sender) is not Pid or type(mfa) is not tuple or len(mfa) != 3 \
                or type(options) is not list:
            raise ValueError("a malformed spawn request %r" % (ctl,))
        module, function = mfa[0], mfa[1]
        try:
            if (module, function, mfa[2]) == ("erpc", "execute_call", 4) \
                    and type(args) is list and len(args) == 4:
                pid = api.spawn(rpc.execute, args[1], args[2], args[3], args[0])
            else:
                pid = api.spawn(rpc.execute, module, function, args)
        except SystemLimit:
            self.send_control((control.SPAWN_REPLY, request, sender, 0, "system_limit"))
            return
        flags = (SPAWN_LINK if "link" in options else 0) | \
            (SPAWN_MONITOR if "monitor" in options else 0)
        self.send_control((control.SPAWN_REPLY, request, sender, flags, pid))
        if flags & SPAWN_LINK:
            self.conn.links.append((pid, sender))
            signals.signal(SCHEDULER, pid, signals.LINK, sender)
        if flags & SPAWN_MONITOR:
            self._monitored(sender, pid, request)

    def _spawned(self, request, result):
        """The answer to a spawn we asked for: the new Pid, or why not."""
        ref = self.conn.monitors.get(request)
        if ref is None:
            return
        if type(result) is Pid:
            ref.away = result
            return
        del self.conn.monitors[request]
        ref.away = None
        watcher = ref.watcher
        if watcher is not None:
            monitors.end(ref)
            deliver(SCHEDULER, watcher, (SPAWN_REPLY, ref, result))

    def _pids(self, sender, to):
        if type(sender) is not Pid or type(to) is not Pid or to._node is not None:
            raise ValueError("a signal from %r to %r: not a remote pid to a pid of ours"
                             % (sender, to))
        return sender, to

    def _monitored(self, watcher, target, their_ref):
        if type(watcher) is not Pid or type(their_ref) is not Ref:
            raise ValueError("a monitor from %r with %r" % (watcher, their_ref))
        if type(target) is str:
            holder = api.whereis(target)
        else:
            holder = target if type(target) is Pid and target._proc is not None else None
        if holder is None:
            self.send_control((control.MONITOR_P_EXIT, target, watcher, their_ref, "noproc"))
            return
        ours = api.monitor(holder)
        self.conn.watched[their_ref] = (ours, watcher, target)

    def down(self, ref, reason):
        """A process watched for the peer exited (the DOWN of our monitor)."""
        for their_ref, (ours, watcher, named) in self.conn.watched.items():
            if ours is ref:
                del self.conn.watched[their_ref]
                self.write(control.with_reason(
                    self.adapter, (control.MONITOR_P_EXIT, named, watcher, their_ref), reason))
                return

    # ---- the loop

    async def serve(self, ticktime_ms):
        interval = max(ticktime_ms // 4, 1)
        while True:
            message = await receive(timeout=interval)
            if message is not TIMEOUT and type(message) is tuple and message:
                kind = message[0]
                if message == self.stream.event:
                    self.pump()
                elif kind == "DOWN":
                    self.down(message[1], message[4])
                elif kind == OUT and len(message) == 2:
                    self.write(message[1])
                elif kind == DISCONNECT:
                    self.conn.reason = "disconnect"
                    return
            now = libos.ticks_ms()
            if libos.ticks_diff(now, self.said) >= interval:
                self.write(b"\0\0\0\0")
            if libos.ticks_diff(now, self.heard) > ticktime_ms:
                self.conn.reason = "net_tick_timeout"
                logger.log("warning", "node %s: nothing heard for %d ms, the connection is down"
                           % (self.conn.peer, ticktime_ms))
                return


async def run(node, conn, stream=None):
    """The connection process: to `conn.peer` (stream None: we connect) or
    from a peer that connected to our listening stream (`stream`)."""
    conn.pid = api.self_pid()
    peer = conn.peer
    try:
        if stream is None:
            stream = await node.endpoint.connect(peer)
            try:
                await handshake.initiate(
                    stream, node.name, node.identity.creation, node.cookie, peer)
            except handshake.Superseded:
                # The peer's connection to us wins; it takes this one's waiters and
                # queued packets when its handshake is done (node.accepted), and
                # ends this process then.
                stream.close()
                stream = None
                await sleep(handshake.TIMEOUT_MS)
                return
        else:
            name = await handshake.accept(stream, node.name, node.identity.creation,
                                          node.cookie, peer, node.arbitrate)
            if name is None:
                return  # ours to it wins
            conn.peer = name
            node.accepted(conn)
        link = _Link(node, conn, stream)
        conn.up = True
        node.connected(conn)
        await link.serve(node.ticktime_ms)
    except handshake.HandshakeError as e:
        logger.log("warning", "node %s" % e)
    except (Closed, epmd.EpmdError) as e:  # a peer that goes away is no fault of ours
        logger.log("info", "node %s: %s" % (conn.peer, e))
    except ValueError as e:
        conn.reason = "bad_input"
        logger.log("error", "node %s: %s; the connection is dropped" % (conn.peer, e))
    finally:
        if stream is not None:
            stream.close()

