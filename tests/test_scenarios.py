"""Every scenario on every target: tests/scenarios/NAME.py must print exactly
tests/scenarios/NAME.exp and exit with status 0.

Targets are those tools/targets.py knows (RUNNERS), so a new target joins by
being added there; TARGETS=posix,cpython picks some. A scenario that needs a
feature the target lacks prints SKIP as its first line and is skipped. An
.exp whose first line is `# exit status: N` expects status N instead of 0
(that line is not part of the output).
"""
import difflib
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = os.path.join(HERE, "scenarios")
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tools"))

from targets import RUNNERS, run_script  # noqa: E402

STATUS_LINE = "# exit status: "
TIMEOUT = float(os.environ.get("SCENARIO_TIMEOUT", "120"))


def targets():
    known = sorted(RUNNERS)
    chosen = os.environ.get("TARGETS", "").replace(",", " ").split()
    unknown = [t for t in chosen if t not in known]
    if unknown:
        raise ValueError("TARGETS names unknown targets %s; known: %s"
                         % (", ".join(unknown), ", ".join(known)))
    return [t for t in known if t in chosen] if chosen else known


def scenarios():
    names = [name[:-3] for name in os.listdir(SCENARIOS) if name.endswith(".py")]
    return sorted(name for name in names if os.path.exists(os.path.join(SCENARIOS, name + ".exp")))


def normalize(text):
    return text.replace("\r\n", "\n").rstrip("\n") + "\n"


def expectation(name):
    """(expected output, expected exit status) of scenario `name`."""
    with open(os.path.join(SCENARIOS, name + ".exp")) as f:
        text = f.read()
    status = 0
    if text.startswith(STATUS_LINE):
        first, _, text = text.partition("\n")
        status = int(first[len(STATUS_LINE):])
    return normalize(text), status


@pytest.mark.parametrize("target", targets())
@pytest.mark.parametrize("name", scenarios())
def test_scenario(target, name):
    expected, status = expectation(name)
    outcome = run_script(target, os.path.join(SCENARIOS, name + ".py"), TIMEOUT)
    output = normalize(outcome.output)
    if output.split("\n", 1)[0].strip() == "SKIP":
        pytest.skip("%s needs something %s lacks" % (name, target))
    if output != expected or outcome.status != status:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(True), output.splitlines(True),
            "%s.exp" % name, "%s on %s" % (name, target)))
        pytest.fail("scenario %s on %s: exit status %s (expected %s)\n%s"
                    % (name, target, outcome.status, status, diff or "(same output)"),
                    pytrace=False)
