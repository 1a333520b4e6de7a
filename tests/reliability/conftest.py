"""The soak (test_soak.py) takes minutes of one core: it starts in the
background as soon as collection shows it selected, and runs on the other
core while the rest of the suite runs on this one; its test then only waits
for it."""
import os
import sys
import threading

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "tools"))

from build import build_firmware  # noqa: E402
from targets import run_script  # noqa: E402

SOAK_BOARD = "mps2-an385"
SOAK_TIMEOUT = 900
_soak = {}  # 'thread', then 'outcome' (a targets.Outcome) or 'error'


def _run_soak():
    try:
        _soak["outcome"] = run_script(SOAK_BOARD, os.path.join(HERE, "soak.py"), SOAK_TIMEOUT)
    except Exception as e:  # reported by the test
        _soak["error"] = e


def _start_soak():
    build_firmware(SOAK_BOARD)  # here, so that no other test builds it at the same time
    _soak["thread"] = threading.Thread(target=_run_soak, daemon=True)
    _soak["thread"].start()


def pytest_collection_modifyitems(config, items):
    if any(item.nodeid.endswith("test_soak.py::" + item.name) for item in items):
        _start_soak()


@pytest.fixture
def soak_outcome():
    """The soak's Outcome, once it has finished."""
    if "thread" not in _soak:
        _start_soak()
    _soak["thread"].join(SOAK_TIMEOUT)
    if "error" in _soak:
        raise _soak["error"]
    assert "outcome" in _soak, "the soak did not finish within %d s" % SOAK_TIMEOUT
    return _soak["outcome"]
