"""What the CPython libos adds to the contract tests (tests/libos): code that
swallows SliceExpired gets it again, the budget is main-thread only, a full
event ring counts what it drops, an uncaught exception is recorded as a
fault."""
import os
import subprocess
import sys
import threading
import time

import pytest

import libos

LIBOS_DIR = os.path.dirname(libos.__file__)


def test_a_swallowed_slice_expiry_is_raised_again():
    expired = 0
    libos.budget(20000)
    deadline = time.monotonic() + 5
    try:
        while expired < 3 and time.monotonic() < deadline:
            try:
                while time.monotonic() < deadline:
                    pass
            except libos.SliceExpired:
                expired += 1
    finally:
        libos.budget(0)
    assert expired == 3


def test_budget_outside_the_main_thread_is_refused():
    errors = []

    def arm():
        try:
            libos.budget(1000)
        except RuntimeError as e:
            errors.append(e)

    thread = threading.Thread(target=arm)
    thread.start()
    thread.join()
    assert len(errors) == 1


def test_a_full_ring_drops_and_counts():
    libos.claim("timer1")
    try:
        before = libos.dropped()
        for i in range(libos.RING_SIZE + 5):
            libos._post("timer1", i)
        events = libos.events()
        assert [v for s, v in events] == list(range(libos.RING_SIZE))
        assert libos.dropped() - before == 5
        assert libos.events() == ()
    finally:
        libos.release("timer1")


def test_an_uncaught_exception_is_recorded_as_a_fault(tmp_path):
    env = dict(os.environ, LIBOS_RESET_RECORD=str(tmp_path / "record"),
               PYTHONPATH=LIBOS_DIR)
    code = "import libos\nraise ValueError('boom')\n"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True)
    assert result.returncode == 1
    code = "import libos\nprint(libos.reset_cause())\nprint(libos.reset_cause())\n"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout == "('fault', 'ValueError: boom')\n('power', None)\n"


@pytest.mark.parametrize("call", [lambda: libos.timer(2, 100), lambda: libos.timer(0, -1),
                                  lambda: libos.alarm(-1), lambda: libos.uart(0)])
def test_more_bad_input(call):
    with pytest.raises(ValueError):
        call()
