"""Pids and Refs across the wire (runtime/dist/external.py): equal by value,
ours come back as ours, dead or alive, an older incarnation's stay foreign;
printed as Erlang prints them."""
import runtime
from runtime import terms
from runtime.dist import etf
from runtime.dist.external import Identity
from runtime.scheduler import SCHEDULER


def identity(creation=7):
    found = Identity(SCHEDULER.table)
    found.creation = creation
    return found


def test_a_live_pid_comes_back_as_itself_and_a_dead_one_equal():
    seen = {}

    async def main():
        me = runtime.self_pid()
        adapter = identity()
        seen["live"] = etf.decode(etf.encode(me, adapter), adapter)
        seen["me"] = me
        child = runtime.spawn(_quit)
        wire = etf.encode(child, adapter)
        await runtime.sleep(10)
        seen["dead"] = etf.decode(wire, adapter)
        seen["child"] = child

    runtime.run(main)
    assert seen["live"] is seen["me"]
    assert seen["dead"] == seen["child"] and hash(seen["dead"]) == hash(seen["child"])
    assert seen["dead"] is not seen["child"] and seen["dead"]._proc is None


async def _quit():
    pass


def test_pids_of_another_node_or_an_older_incarnation_are_foreign():
    adapter = identity(creation=7)
    other = etf.decode(etf.encode(terms.Pid.external("erl@host", 5, 0, 3), adapter), adapter)
    assert other == terms.Pid.external("erl@host", 5, 0, 3)
    assert other != terms.Pid.external("erl@host", 5, 0, 4)
    assert other.node == "erl@host"
    assert other != terms.Pid(5, None)
    old = etf.decode(etf.encode(terms.Pid(5, None), identity(creation=6)), adapter)
    assert old._node == terms.node_name() and old.creation == 6
    assert old != terms.Pid(5, None)


def test_refs_survive_a_round_trip_equal():
    adapter = identity()
    ref = terms.Ref()
    back = etf.decode(etf.encode(ref, adapter), adapter)
    assert back == ref and hash(back) == hash(ref) and back is not ref
    theirs = terms.Ref.external("erl@host", 2, (1, 2, 3))
    assert etf.decode(etf.encode(theirs, adapter), adapter) == theirs
    assert {theirs: 1}[terms.Ref.external("erl@host", 2, (1, 2, 3))] == 1
    assert theirs != ref


def test_printing():
    assert repr(terms.Pid(12, None)) == "<0.12.0>"
    remote = terms.Pid.external("printing@host", 12, 3, 1)
    number = terms.node_number("printing@host")
    assert number > 0 and repr(remote) == "<%d.12.3>" % number
    assert repr(terms.Ref.external("printing@host", 1, (1, 2, 3))) == "#Ref<%d.3.2.1>" % number
