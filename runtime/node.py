"""This node in a cluster of Erlang/OTP nodes (OTP's net_kernel, net_adm and
the distribution BIFs), speaking Erlang's own distribution protocol as a
hidden node (runtime/dist/ has the layers).

    from runtime import node
    await node.start("n1", cookie="secret")   # 'n1@127.0.0.1'
    await node.ping("erl@127.0.0.1")          # 'pong'
    send(("shell", "erl@127.0.0.1"), "hello")

Once started, Pids of other nodes work with send, link, unlink, monitor and
exit as local ones; (name, node) with send, monitor and the behaviours'
call and cast. A connection is made on the first signal to a node, as
Erlang does; when it is lost, links across it get `noconnection`,
monitors a DOWN `noconnection`, and monitor_node/monitor_nodes a nodedown.
"""
from runtime import api, gen, monitors
from runtime.dist import carrier, netkernel, rpc as remote_call, tcp, uart_link, wire
from runtime.dist.connection import CONNECTED, DISCONNECT, SPAWN_REPLY
from runtime.dist.netkernel import Node
from runtime.scheduler import SCHEDULER
from runtime.terms import ANY, TIMEOUT, Pid, Ref, node_name
from runtime.traps import receive

_NODE = [None]  # the running Node, or None
CLUSTER_UART = 2  # a board's UART to the bridge: mps2-an385's UART2, netduinoplus2's USART2


def _running(what):
    node = _NODE[0]
    if node is None:
        raise RuntimeError("%s: this node is not started (node.start)" % what)
    return node


def _full(name):
    if type(name) is not str or not name:
        raise TypeError("a node name is a non-empty str, got %r" % (name,))
    return name if "@" in name else name + "@127.0.0.1"


def _default_cookie():
    """~/.erlang.cookie, as erl reads it."""
    try:
        import os
        home = os.getenv("HOME")
        with open(home + "/.erlang.cookie") as f:
            cookie = f.read().strip()
    except (ImportError, OSError, TypeError, AttributeError):
        cookie = ""
    if not cookie:
        raise ValueError("no cookie given, and ~/.erlang.cookie cannot be read here; "
                         "pass cookie=")
    return cookie


async def start(name, cookie=None, ticktime=60, uart=None, wired=False):
    """Start distribution as `name` (`n1`, or `n1@host`; the host defaults to
    127.0.0.1): listen for connections, register with EPMD and start
    net_kernel. Returns the full name. `ticktime` is OTP's net_ticktime in
    seconds: a peer not heard from for that long is down. A host listens on
    TCP; a board (or a host given `uart`) goes through that UART and the
    host bridge (tools/bridge.py), which registers it and relays; `wired`:
    that UART is wired straight to another board's, no host between
    (dist/wire.py)."""
    if _NODE[0] is not None:
        raise RuntimeError("this node is started already, as %s" % _NODE[0].name)
    full = _full(name)
    alive, host = full.split("@", 1)
    if type(ticktime) is not int or ticktime < 1:
        raise ValueError("ticktime is whole seconds, at least 1, got %r" % (ticktime,))
    cookie = _default_cookie() if cookie is None else cookie
    if type(cookie) is not str or not cookie:
        raise TypeError("a cookie is a non-empty str, got %r" % (cookie,))
    if wired:
        endpoint = wire.Endpoint(CLUSTER_UART if uart is None else uart, full)
    elif uart is None and carrier.available():
        endpoint = tcp.Endpoint()
    else:
        endpoint = uart_link.Endpoint(CLUSTER_UART if uart is None else uart)
    creation = await endpoint.register(alive, host)
    node = Node(full, cookie, ticktime)
    node.identity.creation = creation
    node.endpoint = endpoint
    _NODE[0] = node
    netkernel.install(node)
    kernel = node.kernel = api.spawn(netkernel.net_kernel, node)
    endpoint.hand_to(kernel)
    return full


def stop():
    """Stop distribution: every connection goes down, the name leaves EPMD."""
    node = _running("stop")
    for conn in list(node.connections.values()):
        api.exit(conn.pid, "kill")
    api.exit(node.kernel, "kill")
    _NODE[0] = None
    netkernel.uninstall()


def name():
    """This node's name; 'nonode@nohost' when not started."""
    return node_name()


def nodes():
    """The nodes connected to this one (up, not being set up), sorted."""
    node = _NODE[0]
    if node is None:
        return []
    return sorted(peer for peer, conn in node.connections.items() if conn.up)


async def connect(peer):
    """Connect to node `peer`; True once connected, False if it cannot be."""
    node = _running("connect")
    peer = _full(peer)
    if peer == node.name:
        return True
    conn = node.connection(peer)
    me = api.self_pid()
    while not conn.up:
        if me not in conn.waiters:
            conn.waiters.append(me)
        ref = api.monitor(conn.pid)
        answer = await receive((CONNECTED, peer), ("DOWN", ref, ANY, ANY, ANY))
        api.demonitor(ref, True)
        if answer[0] == CONNECTED:
            return True
        # That connection ended: failed, or replaced by the peer's own to us
        # (both connecting at once), which took over its waiters.
        conn = node.live(peer)
        if conn is None:
            return False
    await receive((CONNECTED, peer), timeout=0)  # its word to us, if we waited on it
    return True


async def ping(peer):
    """'pong' if node `peer` answers (OTP's net_adm:ping), else 'pang'."""
    _running("ping")
    try:
        answer = await gen.call("net_kernel", ("net_kernel", _full(peer)),
                                ("is_auth", node_name()), 5000)
    except gen.CallExit:
        return "pang"
    return "pong" if answer == "yes" else "pang"


def disconnect(peer):
    """Drop the connection to `peer`; True if there was one."""
    node = _running("disconnect")
    conn = node.connections.get(_full(peer))
    if conn is None:
        return False
    api.send(conn.pid, (DISCONNECT,))
    return True


def monitor_node(peer, flag=True):
    """('nodedown', peer) to the caller when `peer` goes down (at once if it
    is not connected and cannot be), as erlang:monitor_node/2."""
    node = _running("monitor_node")
    me = api.self_pid()
    peer = _full(peer)
    watchers = node.watchers.setdefault(peer, [])
    if not flag:
        if me in watchers:
            watchers.remove(me)
        return True
    watchers.append(me)
    node.connection(peer)
    return True


def monitor_nodes(flag=True):
    """('nodeup', name) and ('nodedown', name) to the caller for every node
    that connects or goes, as net_kernel:monitor_nodes/1."""
    node = _running("monitor_nodes")
    me = api.self_pid()
    if flag:
        node.subscribers.append(me)
    elif me in node.subscribers:
        node.subscribers.remove(me)
    return True


async def rpc(peer, module, function, args=(), timeout=5000):
    """rpc:call(peer, module, function, args, timeout): the result of
    module.function(*args) run on node `peer` (an Erlang function there,
    a Python one on ours), or ('badrpc', why): ('EXIT', ...) for an error,
    'nodedown', 'timeout'."""
    node = _running("rpc")
    peer = _full(peer)
    tag = Ref()
    args = list(args)
    if peer == node.name:
        pid, request = api.spawn_monitor(remote_call.execute, module, function, args, tag)
    else:
        request = Ref()
        SCHEDULER.remote.spawn_request(SCHEDULER, SCHEDULER.current, peer, request,
                                       ("erpc", "execute_call", 4), [tag, module, function, args])
    answer = await receive(("DOWN", request, ANY, ANY, ANY), (SPAWN_REPLY, request, ANY),
                           timeout=timeout)
    if answer is TIMEOUT:
        if type(request.away) is Pid or request.target is not None:
            api.demonitor(request, True)
        else:
            request.away = None
            monitors.end(request)
        return ("badrpc", "timeout")
    if answer[0] == SPAWN_REPLY:
        return ("badrpc", ("EXIT", answer[2]))
    return remote_call.outcome(answer[4], tag)
