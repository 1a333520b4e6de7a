"""`make node` as README.md shows it: our node on a host target, or a board
in QEMU, running an application, reached from a real erl; stopped by
SIGTERM, it leaves EPMD."""
import signal
import subprocess
import time

import pytest

import cluster
from cluster import REPO, TICKTIME, Process, fresh_name

COOKIE = "make-node-cookie"


def erl_eval(expression):
    return cluster.erl_eval(expression, COOKIE)


def epmd_names():
    return subprocess.run(["epmd", "-names"], stdout=subprocess.PIPE).stdout.decode()


@pytest.mark.parametrize("target", ["cpython", "posix", "mps2-an385", "netduinoplus2"])
def test_make_node_serves_the_counter_to_erl_until_stopped(target):
    """On a board: in QEMU (real-time pacing), its UART2 relayed by the host
    bridge, the counter started by its boot."""
    name = fresh_name("mk")
    node = Process(["make", "--no-print-directory", "node", "NAME=" + name, "TARGET=" + target,
                    "APP=examples/counter", "COOKIE=" + COOKIE, "TICKTIME=%d" % TICKTIME],
                   cwd=REPO)
    try:
        node.output.wait_for(lambda l: "is up" in l, 180)
        full = name + "@127.0.0.1"
        assert erl_eval("net_adm:ping('%s')" % full) == "pong"
        assert erl_eval("[gen_server:call({counter, '%s'}, next) || _ <- [1, 2]]" % full) \
            == "[1,2]"
        assert erl_eval("rpc:call('%s', 'runtime.node', name, [])" % full) == "'%s'" % full
        assert "name %s at port" % name in epmd_names()
        node.signal(signal.SIGTERM)  # as a terminal's Ctrl-C reaches the whole job
        node.proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while "name %s at port" % name in epmd_names():
            assert time.monotonic() < deadline, "the node is still registered with EPMD"
            time.sleep(0.1)
    finally:
        node.stop()
