"""`make node` as README.md shows it: our node on a host target, or a board
in QEMU, running an application, reached from a real erl; on the host targets,
`make deploy NODE=` upgrades its counter to version 2 over the distribution
link (erl then sees version 2 answer, counting on; see HOST_DEPLOY_TARGETS);
stopped by SIGTERM, it leaves EPMD."""
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


# make deploy NODE= over the distribution link, on the host targets: a board
# is deployed to in tests/tools/test_deploy.py (its raw REPL). On the boards
# here, a call right after the upgrade timed out once in a loaded CI run
# (noted in issue 15's closing note, not yet understood).
HOST_DEPLOY_TARGETS = ("cpython", "posix")


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
        if target in HOST_DEPLOY_TARGETS:
            deployed = subprocess.run(["make", "--no-print-directory", "deploy", "NODE=" + full,
                                       "APP=tests/tools/counter_v2", "COOKIE=" + COOKIE],
                                      cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      timeout=120).stdout.decode()
            assert "1 module, 1 changed" in deployed and "(counter)" in deployed, deployed
            assert ("mpy-cross" in deployed) is (target != "cpython"), deployed
            assert erl_eval("[gen_server:call({counter, '%s'}, R) || R <- [next, version]]"
                            % full) == "[3,{2,2}]"
        node.signal(signal.SIGTERM)  # as a terminal's Ctrl-C reaches the whole job
        node.proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while "name %s at port" % name in epmd_names():
            assert time.monotonic() < deadline, "the node is still registered with EPMD"
            time.sleep(0.1)
    finally:
        node.stop()
