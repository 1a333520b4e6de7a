"""The handshake's statuses (runtime/dist/handshake.py), our two roles
against each other over an in-memory stream, on CPython and the posix
build: OTP's answers to two nodes connecting at once ("nok" and
"ok_simultaneous") and to a node that restarted while its old connection
looked up ("alive", answered "true"). The plain "ok" path is checked
against real erl nodes in test_cluster.py."""
import pytest

from scripts import run_on


@pytest.mark.parametrize("target", ["cpython", "posix"])
def test_each_status_the_acceptor_gives(target, tmp_path):
    outcome = run_on(target, tmp_path, ["handshake_script.py"], "runtime.run(main)", 60)
    assert outcome.status == 0, outcome.output[-3000:]
    assert outcome.output.splitlines() == [
        "ok -> initiator up ; acceptor up with a@pipe",
        "ok_simultaneous -> initiator up ; acceptor up with a@pipe",
        "alive -> initiator up ; acceptor up with a@pipe",
        "nok -> initiator stands down ; acceptor ends it"], outcome.output[-3000:]
