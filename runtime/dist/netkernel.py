"""The node: its name, cookie and creation, its connections, and the
net_kernel process, which keeps them.

net_kernel (registered as OTP's is) owns what keeps the node reachable (the
listening stream and EPMD registration on a host, the bridge's on a board)
and starts a connection process for each peer that connects; answers OTP's `is_auth`
call, so that `net_adm:ping` from an OTP node gets `pong`; and watches every
connection process: when one ends, however it ends, the links across it
end with `noconnection`, the monitors across it with a DOWN `noconnection`,
and the processes that asked hear `nodedown`.

The Router is where the runtime's signals to other nodes go once the node
is up (signals.py's Unreachable before). It encodes each signal in the
process that sends it, so a term that cannot be encoded fails there, and
hands the packet to the connection's process, starting one when there is
none (as Erlang connects on the first send to a node).
"""
from runtime import api, logger, monitors, signals
from runtime.dist import control
from runtime.dist.connection import CONNECTED, OUT, Connection, run
from runtime.dist.external import Identity
from runtime.receive import deliver
from runtime.scheduler import SCHEDULER
from runtime.terms import LOCAL_NODE, Pid
from runtime.traps import receive

# Connections run before the application's processes, as OTP's tickers do
# (priority max): a busy application must not starve the ticks that tell the
# cluster this node is alive.
PRIORITY = "high"


class Node:
    def __init__(self, name, cookie, ticktime_s):
        self.name = name
        self.cookie = cookie
        self.ticktime_ms = ticktime_s * 1000
        self.identity = Identity(SCHEDULER.table)
        self.connections = {}    # peer's name -> Connection (up, or being set up)
        self.subscribers = []    # Pids that asked for nodeup and nodedown (monitor_nodes)
        self.watchers = {}       # peer's name -> Pids that asked monitor_node
        self.kernel = None       # net_kernel's Pid
        self.endpoint = None     # how peers reach us and we them (tcp.py, uart_link.py)

    # ---- connections

    def live(self, peer):
        """The connection to `peer` whose process still runs, or None (one
        whose process has ended stays in `connections` until net_kernel has
        seen it go and ended what went across it: lost)."""
        conn = self.connections.get(peer)
        return conn if conn is not None and conn.pid._proc is not None else None

    def connection(self, peer):
        """The connection to `peer`, started if none runs."""
        conn = self.live(peer)
        if conn is None:
            conn = self.connections[peer] = Connection(peer)
            conn.pid = api.spawn_opt(run, (self, conn), priority=PRIORITY)
            deliver(SCHEDULER, self.kernel._proc, ("$watch", conn))
        return conn

    def arbitrate(self, peer):
        """The handshake's status for `peer` connecting to us (handshake.py):
        a node restarted while its old connection looks up is let in (the
        old one is replaced); when we are connecting to it at the same time,
        the node with the greater name keeps the connection it started, as
        OTP decides."""
        other = self.live(peer)
        if other is None:
            return b"ok"
        if other.up:
            status = b"alive"
        else:
            status = b"nok" if self.name > peer else b"ok_simultaneous"
        logger.log("info", "node %s connects while %s: %s" % (
            peer, "connected" if other.up else "we connect to it", status.decode()))
        return status

    def accepted(self, conn):
        """A peer connected to us and proved the cookie: its connection
        replaces any other to it (a connection we were making, or the one of
        its earlier life), taking over that one's waiters and the packets
        queued in its mailbox, so nothing sent meanwhile is lost."""
        other = self.live(conn.peer)
        self.connections[conn.peer] = conn
        if other is None:
            return
        conn.waiters += other.waiters
        other.waiters = []
        if not other.up:  # what was made across the connection being set up goes across this one
            conn.links += other.links
            conn.monitors.update(other.monitors)
            other.links = []
            other.monitors = {}
        record = other.pid._proc
        if record.mailbox is not None:
            for message in record.mailbox[record.head:]:
                if type(message) is tuple and len(message) == 2 and message[0] == OUT:
                    deliver(SCHEDULER, SCHEDULER.current, message)
        api.exit(other.pid, "kill")

    def connected(self, conn):
        logger.log("info", "node %s is up" % conn.peer)
        waiters = conn.waiters
        conn.waiters = []
        for pid in waiters:
            api.send(pid, (CONNECTED, conn.peer))
        for pid in self.subscribers:
            api.send(pid, ("nodeup", conn.peer))

    def lost(self, conn):
        """Connection `conn` ended (its process exited)."""
        s = SCHEDULER
        peer = conn.peer
        if self.connections.get(peer) is conn:
            del self.connections[peer]
        for local, remote in conn.links:
            signals.signal(s, local, signals.EXIT_LINKED, remote, "noconnection")
        for ref in conn.monitors:
            target = ref.away
            ref.away = None
            monitors.down_at_once(s, ref, target, "noconnection")
        if conn.up:
            logger.log("info", "node %s is down: %s" % (peer, conn.reason))
            for pid in self.subscribers:
                api.send(pid, ("nodedown", peer))
        if conn.up or self.live(peer) is None:  # (not a set-up another connection replaced)
            for pid in self.watchers.pop(peer, ()):
                api.send(pid, ("nodedown", peer))


class Router:
    """Signals and messages to processes of other nodes."""

    def __init__(self, node):
        self.node = node

    def _to(self, peer, connect):
        """The live connection to `peer`, made first if `connect`; None for
        this node's own name (a pid of an earlier life of this node: nothing
        to send to) or when there is none."""
        node = self.node
        if peer == node.name:
            return None
        return node.connection(peer) if connect else node.live(peer)

    def _packet(self, term, payload=None):
        return control.packet(self.node.identity, term, payload)

    def send(self, s, target, message):
        conn = self._to(target._node, True)
        if conn is not None:
            _hand(s, conn, self._packet((control.SEND, "", target), message))

    def send_name(self, s, sender, name, peer, message):
        """{Name, Node} ! Message."""
        conn = self._to(peer, True)
        if conn is not None:
            _hand(s, conn, self._packet((control.REG_SEND, sender, "", name), message))

    def signal(self, s, target, kind, sender, arg):
        connect = kind is signals.LINK or kind is signals.MONITOR
        conn = self._to(target._node, connect)
        if conn is None:
            signals.UNREACHABLE.signal(s, target, kind, sender, arg)
            return
        if kind is signals.LINK:
            packet = self._packet((control.LINK, sender, target))
            conn.links.append((sender, target))
        elif kind is signals.UNLINK:
            conn.unlink_id += 1
            packet = self._packet((control.UNLINK_ID, conn.unlink_id, sender, target))
            conn.forget_link(sender, target)
        elif kind is signals.EXIT_LINKED:
            packet = self._exit(control.EXIT, sender, target, arg)
            conn.forget_link(sender, target)
        elif kind is signals.EXIT:
            packet = self._exit(control.EXIT2, sender, target, arg)
        elif kind is signals.MONITOR:
            self.monitor(s, sender, target, arg)
            return
        else:
            return
        _hand(s, conn, packet)

    def monitor(self, s, sender, target, ref):
        """Monitor `target` (a Pid of another node, or (name, node)) for
        `sender`, through `ref`, which monitors.start has made its."""
        peer, named = _where(target)
        conn = self._to(peer, True)
        if conn is None:
            signals.UNREACHABLE.monitor(s, sender, target, ref)
            return
        packet = self._packet((control.MONITOR_P, sender, named, ref))
        ref.away = target
        conn.monitors[ref] = ref
        _hand(s, conn, packet)

    def demonitor(self, s, sender, ref):
        target = ref.away
        ref.away = None
        peer, named = _where(target)
        conn = self._to(peer, False)
        if conn is not None:
            conn.monitors.pop(ref, None)
            _hand(s, conn, self._packet((control.DEMONITOR_P, sender, named, ref)))

    def spawn_request(self, s, watcher, peer, ref, mfa, args):
        """Ask `peer` to run mfa(*args) in a new process that `watcher`
        (a record) monitors through `ref`: its DOWN carries the outcome
        (rpc.py). The answer naming the process comes first (connection.py)."""
        conn = self._to(peer, True)
        me = watcher.pid
        packet = self._packet((control.SPAWN_REQUEST, ref, me, me, mfa, ["monitor"]), args)
        monitors.start(watcher, ref)
        ref.away = (mfa[0], peer)  # until the answer names the process
        conn.monitors[ref] = ref
        _hand(s, conn, packet)

    def _exit(self, op, sender, target, reason):
        return control.with_reason(self.node.identity, (op, sender, target), reason)


def _where(target):
    """(its node, what names it there) of a Pid of another node or (name, node)."""
    if type(target) is Pid:
        return target._node, target
    return target[1], target[0]


def _hand(s, conn, packet):
    """Give `packet` to the connection's process to write."""
    deliver(s, conn.pid._proc, (OUT, packet))


async def net_kernel(node):
    """The net_kernel process."""
    api.register("net_kernel", node.kernel)
    owned = {}  # connection Pid -> Connection, for the DOWNs
    while True:
        message = await receive()
        for new in node.endpoint.incoming(message):
            conn = Connection("a node that connected")
            conn.pid = api.spawn_opt(run, (node, conn, new), priority=PRIORITY)
            new.give(conn.pid)
            owned[conn.pid] = conn
            api.monitor(conn.pid)
        if type(message) is not tuple or not message:
            continue
        elif message[0] == "$watch":
            conn = message[1]
            owned[conn.pid] = conn
            api.monitor(conn.pid)
        elif message[0] == "DOWN":
            conn = owned.pop(message[3], None)
            if conn is not None:
                node.lost(conn)
        elif message[0] == "$gen_call" and len(message) == 3:
            _answer(node, message[1], message[2])


def _answer(node, from_, request):
    """net_kernel's calls: is_auth (what net_adm:ping asks)."""
    if type(from_) is not tuple or len(from_) != 2 or type(from_[0]) is not Pid:
        return
    if type(request) is tuple and len(request) == 2 and request[0] == "is_auth":
        api.send(from_[0], (from_[1], "yes"))
    else:
        api.send(from_[0], (from_[1], ("error", "unsupported")))


def install(node):
    """Make `node` this runtime's node: its name for local pids, the router
    for remote signals."""
    LOCAL_NODE[0] = node.name
    SCHEDULER.remote = Router(node)


def uninstall():
    LOCAL_NODE[0] = "nonode@nohost"
    SCHEDULER.remote = signals.UNREACHABLE

