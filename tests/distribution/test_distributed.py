"""A distributed application (runtime/distributed.py) on two of our nodes,
started by make node's tools/node.py with NODES, watched from a real erl:
the node alone runs it; the node first in the list takes it over when it
comes up; when that node freezes (its ticks stop), the other fails over
within the tick time; when it comes back, it takes the application back.
"""
import os
import sys

import pytest

from cluster import COOKIE, REPO, TICKTIME, Process, compile_peer, fresh_name, start_erl

APP = os.path.join(REPO, "examples", "counter")   # its app.py has no NAME: "app"
BOOT_S = 240  # a board's first image is built, then booted


@pytest.fixture(scope="module")
def peer_code(tmp_path_factory):
    return compile_peer(str(tmp_path_factory.mktemp("erl")))


def start_node(target, name, nodes):
    node = Process([sys.executable, "-u", os.path.join(REPO, "tools", "node.py"),
                    "--target", target, "--name", name, "--cookie", COOKIE,
                    "--ticktime", str(TICKTIME), "--app", APP, "--nodes", ",".join(nodes)])
    node.output.wait_for(lambda l: "is up" in l, BOOT_S)
    return node


def runs_on(peer_code, asked, want):
    """What erl hears from `asked` about where the app runs (waiting for
    `want`), and the counter's answer there."""
    erl = start_erl(peer_code, "runs_on", asked, "app", want)
    try:
        erl.proc.wait(timeout=90)
        lines = erl.output.wait_for(lambda l: l.startswith("counter says"), 5) and \
            erl.output.text().splitlines()
    finally:
        erl.stop()
    return [line for line in lines if line.startswith(("runs on", "counter says"))]


# On boards (MicroPython, as the posix build), make demo-cluster's test runs
# the same story with two of them: tests/demo/test_demo_cluster.py.
@pytest.mark.parametrize("target", ["cpython"])
def test_an_application_fails_over_and_is_taken_back(peer_code, target):
    first, second = fresh_name("da"), fresh_name("db")
    nodes = [first + "@127.0.0.1", second + "@127.0.0.1"]
    started = []
    try:
        b = start_node(target, second, nodes)
        started.append(b)
        # Alone (the first node unreachable for the sync time), b runs it.
        assert runs_on(peer_code, nodes[1], nodes[1]) == \
            ["runs on '%s'" % nodes[1], "counter says 1"]
        a = start_node(target, first, nodes)
        started.append(a)
        # The first in the list takes it over; b agrees.
        assert runs_on(peer_code, nodes[1], nodes[0]) == \
            ["runs on '%s'" % nodes[0], "counter says 1"]
        a.freeze()
        # b hears nothing from a for the tick time: it fails over.
        assert runs_on(peer_code, nodes[1], nodes[1]) == \
            ["runs on '%s'" % nodes[1], "counter says 1"]
        b.output.wait_for(lambda l: "which ran it, is down" in l, 5)
        a.stop()
        a = start_node(target, first, nodes)
        started.append(a)
        assert runs_on(peer_code, nodes[1], nodes[0]) == \
            ["runs on '%s'" % nodes[0], "counter says 1"]
    finally:
        for node in started:
            node.stop()
