"""Our nodes in a cluster with a real OTP node (Debian's erl), on CPython and
the posix build: agent.py is our node, cluster_peer.erl the Erlang side
that drives it and judges each check. Tick time 4 s, so that a frozen node
is given up within seconds.
"""
import time

import pytest

from cluster import TICKTIME, compile_peer, judged, start_erl, start_ours

TARGETS = ["cpython", "posix", "posix-uart", "mps2-an385"]
# The posix build's own TCP carrier is in the first test; the others run its
# code through the bridge (posix-uart), as a board does.
CARRIED = ["cpython", "posix-uart", "mps2-an385"]


@pytest.fixture(scope="module")
def peer_code(tmp_path_factory):
    return compile_peer(str(tmp_path_factory.mktemp("erl")))


CHECKS = ["ping", "the connection outlives the tick time", "hidden", "our ping", "our nodes", "remote pid", "terms round trip",
          "our pid comes back equal", "send to name", "call ours", "cast ours",
          "call ours, no such name", "our call", "our call, no such name", "our call, no such node",
          "our call, timeout", "call ours, timeout", "gen_statem", "nodeup and nodedown", "rpc into ours",
          "rpc into ours, our node's name", "rpc into ours, undef",
          "rpc into ours, an exception", "our rpc", "our rpc, undef", "link, remote crash",
          "unlink", "monitor, remote kill", "monitor a dead pid", "demonitor",
          "supervisor restart, seen by a monitor on the name", "our link, erl crash",
          "our monitor by name", "our monitor, dead pid", "our exit signal"]


@pytest.mark.parametrize("target", TARGETS)
def test_an_otp_node_and_ours_talk_both_ways(peer_code, target):
    ours, name = start_ours(target)
    erl = start_erl(peer_code, "checks", name)
    try:
        assert judged(erl) == CHECKS
        print(target, erl.output.wait_for(lambda l: "round trip took" in l, 0))
    finally:
        erl.stop()
        ours.stop()


@pytest.mark.parametrize("target", CARRIED)
def test_two_of_our_nodes_talk_to_each_other(peer_code, target):
    a, a_name = start_ours(target, "a")
    b, b_name = start_ours(target, "b")
    erl = start_erl(peer_code, "pair", a_name, b_name)
    try:
        assert judged(erl) == ["a and b connect at once", "a pings b", "a calls b", "a rpc b", "b knows a",
                               "a monitors b's server", "a links to b's echo"]
    finally:
        erl.stop()
        a.stop()
        b.stop()


@pytest.mark.parametrize("target", CARRIED)
def test_erl_gives_up_our_node_when_it_freezes(peer_code, target):
    ours, name = start_ours(target)
    erl = start_erl(peer_code, "watch_node", name)
    try:
        erl.output.wait_for(lambda l: l == "ready", 30)
        ours.freeze()
        down = erl.output.wait_for(lambda l: l.startswith("nodedown") or "FAIL" in l, 40)
        assert down.startswith("nodedown"), erl.output.text()
        erl.output.wait_for(lambda l: "link noconnection" in l, 5)
        assert "FAIL" not in erl.output.text(), erl.output.text()
        print("erl: %s (tick time %d s)" % (down, TICKTIME))
    finally:
        erl.stop()
        ours.stop()


@pytest.mark.parametrize("target", CARRIED)
def test_our_node_gives_up_erl_when_it_freezes(peer_code, target):
    ours, name = start_ours(target)
    erl = start_erl(peer_code, "be_watched", name)
    try:
        erl.output.wait_for(lambda l: l == "ready", 30)
        erl.freeze()
        started = time.monotonic()
        ours.output.wait_for(lambda l: l.startswith("seen ('nodedown'"), 40)
        print("ours: nodedown after %.1f s (tick time %d s)"
              % (time.monotonic() - started, TICKTIME))
        ours.output.wait_for(lambda l: l.startswith("seen ('EXIT'")
                             and l.endswith("'noconnection')"), 5)
        ours.output.wait_for(lambda l: l.startswith("seen ('DOWN'")
                             and l.endswith("'noconnection')"), 5)
    finally:
        erl.stop()
        ours.stop()


@pytest.mark.parametrize("target", CARRIED)
def test_a_wrong_cookie_is_refused_both_ways(peer_code, target):
    ours, name = start_ours(target)
    other = start_erl(peer_code, "wrong_cookie", name, cookie="not-the-cookie")
    erl = None
    try:
        other.output.wait_for(lambda l: l == "ready", 30)
        assert "ok erl with another cookie gets pang" in other.output.text()
        ours.output.wait_for(lambda l: "cookie is not ours" in l, 5)
        erl = start_erl(peer_code, "ping_from_ours", name, other.name)
        assert judged(erl) == ["ours gets pang from erl with another cookie"]
    finally:
        for process in (erl, other, ours):
            if process is not None:
                process.stop()
