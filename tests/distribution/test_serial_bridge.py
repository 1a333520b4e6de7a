"""The host bridge on a serial port (tools/bridge.py --serial), as for a
real board: the posix build's UART2 is a pseudo-terminal (LIBOS_UART2=pty)
that the bridge opens through pyserial; a real erl pings our node, calls
its counter and runs a function on it."""
import os
import sys

from cluster import COOKIE, REPO, START_TIMEOUT, Process, build_firmware, erl_eval, fresh_name

HERE = os.path.dirname(os.path.abspath(__file__))


def test_a_node_behind_a_serial_port_serves_erl():
    name = fresh_name("ser")
    full = name + "@127.0.0.1"
    ours = Process([build_firmware("posix"), os.path.join(HERE, "agent.py"), name, COOKIE, "4",
                    "2"], dict(os.environ, LIBOS_UART2="pty"))
    bridge = None
    try:
        pty = ours.output.wait_for(lambda l: l.startswith("libos: uart2 is "), START_TIMEOUT)
        bridge = Process([sys.executable, "-u", os.path.join(REPO, "tools", "bridge.py"),
                          "--serial", pty.split(" is ")[1]])
        ours.companions.append(bridge)
        ours.output.wait_for(lambda l: l.startswith("node "), START_TIMEOUT)
        assert erl_eval("net_adm:ping('%s')" % full) == "pong"
        assert erl_eval("gen_server:call({counter, '%s'}, next)" % full) == "1"
        assert erl_eval("rpc:call('%s', 'runtime.node', name, [])" % full) == "'%s'" % full
    finally:
        ours.stop()
