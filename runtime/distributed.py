"""Distributed applications: an application that runs on one node of a set
and moves when that node dies, as OTP's do (its `distributed` kernel
parameter and dist_ac).

The contract:

    pid = await distributed.start(name, start, nodes, failover_ms=0, sync_ms=5000)

`nodes` lists the full names of the nodes the application may run on, most
wanted first; every one of them runs the same call (make node does, for an
app.py with NODES; see node_main.py). `start(start_type)` starts the
application's root supervisor, linked to its caller, and returns its Pid;
start_type is "normal", ("failover", node) or ("takeover", node), as OTP
passes to Mod:start/2. start returns the controller's Pid, registered as
"dist_ac:" + name on this node.

- The application runs on exactly one node: the first node of `nodes` that
  is up, counting only the nodes whose controllers this one has heard from.
  At start each controller connects to the others and waits up to
  `sync_ms` to hear them (OTP's sync_nodes_timeout), so that nodes booted
  together agree on the first.
- Failover: when the node that runs it goes down, the first node of the
  list among those still up starts it, with ("failover", node), after
  `failover_ms` (OTP's failover time: the lost node may come back first).
- Takeover: a node that comes up, and is earlier in the list than the node
  that runs it, starts it with ("takeover", node) and then has that node
  stop its own (with 'shutdown'), as OTP does.
- `where(name)`: the node that runs it, as this node knows; None while no
  node does. OTP nodes find it with rpc:call(Node, 'runtime.distributed',
  where, [Name]).
- The application's root exiting on the node that runs it ends the
  controller with the same reason (a permanent application ending its
  node, as in OTP); the other nodes see that node go down.

Where this differs from OTP on purpose: nodes of equal rank (OTP's tuples
in the list) are not offered; the nodes are our hidden nodes, found by the
names in the list (connected to by the controllers), not through `global`.
When a partition heals and two nodes run it, the one later in the list
stops its own.
"""
import libos

from runtime import api, logger, node
from runtime.compat import is_coroutine
from runtime.terms import ANY, TIMEOUT
from runtime.traps import receive

RETRY_MS = 2000       # how often a controller tries again to reach the nodes it has not heard
_TAG = "$dist_app"    # (_TAG, kind, application, sender's node, where it runs as sender knows)

_WHERE = {}           # application name -> node that runs it, as this node knows


def registered_name(name):
    return "dist_ac:" + name


def where(name):
    """The node that runs application `name`, as this node knows; None when
    none does (or this node runs no controller for it). The name may come
    from an Erlang node as an atom, a string (a list) or a binary."""
    if type(name) is list:
        name = bytes(name)
    if type(name) is bytes:
        name = name.decode()
    return _WHERE.get(name)


async def start(name, start, nodes, failover_ms=0, sync_ms=5000):
    """Start the controller of application `name` on this node (see the
    module's docstring); its Pid."""
    me = node.name()
    if me not in nodes:
        raise ValueError("distributed %s: this node (%s) is not one of its nodes %r"
                         % (name, me, list(nodes)))
    controller = _Controller(name, start, list(nodes), failover_ms)
    pid = api.spawn(controller.run, sync_ms)
    api.register(registered_name(name), pid)
    return pid


class _Controller:
    """One node's controller of one application."""

    def __init__(self, name, start, nodes, failover_ms):
        self.name = name
        self.start = start
        self.nodes = nodes
        self.failover_ms = failover_ms
        self.me = node.name()
        self.heard = set()     # other nodes whose controllers are up, as heard
        self.running = None    # the node that runs it, or None
        self.root = None       # its root's Pid while it runs here
        self.lost = None       # the node it ran on until that went down, for failover
        self.lost_at = 0

    def _first_up(self):
        for candidate in self.nodes:
            if candidate == self.me or candidate in self.heard:
                return candidate
        return None

    def _rank(self, name):
        return self.nodes.index(name)

    def _say(self, kind, to):
        api.send((registered_name(self.name), to),
                 (_TAG, kind, self.name, self.me, self.running))

    def _announce(self):
        for peer in self.heard:
            self._say("status", peer)

    def _set_running(self, where_):
        self.running = where_
        _WHERE[self.name] = where_

    # ---- the process

    async def run(self, sync_ms):
        api.trap_exit(True)  # the root is linked to us: its end is ours to see
        node.monitor_nodes(True)
        _WHERE[self.name] = None
        self._reach_unheard()
        deadline = libos.ticks_add(libos.ticks_ms(), sync_ms)
        # Hear the others first (up to sync_ms), or someone that runs it.
        while len(self.heard) < len(self.nodes) - 1 and self.running is None:
            left = libos.ticks_diff(deadline, libos.ticks_ms())
            if left <= 0:
                break
            message = await receive(timeout=left)
            if message is not TIMEOUT:
                await self._handle(message)
        while True:
            await self._decide()
            message = await receive(timeout=RETRY_MS)
            if message is TIMEOUT:
                self._reach_unheard()
            else:
                await self._handle(message)

    def _reach_unheard(self):
        for peer in self.nodes:
            if peer != self.me and peer not in self.heard:
                api.spawn(node.connect, peer)  # then the controllers hear of each other (nodeup)

    async def _handle(self, message):
        if type(message) is not tuple or not message:
            return
        kind = message[0]
        if kind == "nodeup" and message[1] in self.nodes:
            self._say("status", message[1])
        elif kind == "nodedown":
            self._down(message[1])
        elif kind == _TAG and len(message) == 5 and message[2] == self.name:
            await self._from_peer(message[1], message[3], message[4])
        elif kind == "EXIT" and message[1] == self.root:
            logger.log("error", "distributed %s: its root exited (%s); its controller ends"
                       % (self.name, logger.describe(message[2])))
            api.exit(message[2])

    def _down(self, peer):
        self.heard.discard(peer)
        if peer == self.running:
            logger.log("warning", "distributed %s: node %s, which ran it, is down"
                       % (self.name, peer))
            self._set_running(None)
            self.lost = peer
            self.lost_at = libos.ticks_ms()

    async def _from_peer(self, kind, peer, running):
        if peer not in self.nodes:
            return
        if peer not in self.heard:
            self.heard.add(peer)
            self._say("status", peer)  # so that it hears us too, whoever spoke first
        if kind == "stop":
            await self._stop_here(peer)
        elif running == peer:
            if self.root is None:
                self._set_running(peer)
            elif self._rank(peer) < self._rank(self.me):
                await self._stop_here(peer)  # a healed partition: the earlier node keeps it
        elif self.running == peer:
            self._set_running(None)  # it stopped its own: another node is taking over

    # ---- starting and stopping it here

    async def _decide(self):
        if self.root is not None:
            return
        running = self.running
        if running is not None:
            if self._rank(self.me) < self._rank(running) and running in self.heard:
                await self._start_here(("takeover", running))
            return
        if self._first_up() != self.me:
            return
        if self.lost is None:
            await self._start_here("normal")
        elif libos.ticks_diff(libos.ticks_ms(), self.lost_at) >= self.failover_ms:
            await self._start_here(("failover", self.lost))

    async def _start_here(self, start_type):
        logger.log("info", "distributed %s: starting here (%s)"
                   % (self.name, logger.describe(start_type)))
        try:
            root = self.start(start_type)
            if is_coroutine(root):
                root = await root
        except Exception as e:
            logger.log("error", "distributed %s: it did not start: %s"
                       % (self.name, logger.describe(e)))
            raise
        previous = self.running
        self.root = root
        self.lost = None
        self._set_running(self.me)
        if type(start_type) is tuple and start_type[0] == "takeover":
            self._say("stop", previous)
        self._announce()

    async def _stop_here(self, taker):
        root = self.root
        self.root = None
        self._set_running(taker)
        if root is not None:
            ref = api.monitor(root)
            api.exit(root, "shutdown")
            await receive(("DOWN", ref, ANY, ANY, ANY))
            await receive(("EXIT", root, ANY), timeout=0)  # its link's word, now stale
            logger.log("info", "distributed %s: stopped here; %s runs it" % (self.name, taker))
        self._announce()
