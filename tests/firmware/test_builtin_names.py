"""The builtin-names patch (tools/patches/micropython-builtin-globals.patch)
keeps Python's name lookup: the firmware prints what CPython prints for
every way of hiding a builtin behind a global (builtin_names_check.py)."""
import os

import pytest

from targets import run_script

CHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "builtin_names_check.py")

EXPECTED = [
    "builtin len: 3",
    "module's len: -1",
    "builtin again: 3",
    "exec's globals: 2",
    "a key stored later: 42",
    "a copied map: 42",
    "__name__: builtins __main__",
    "builtin isinstance: True",
    "through globals(): mine",
    "builtins overridden: patched",
    "and restored: 1",
]


@pytest.mark.parametrize("target", ["cpython", "posix", "mps2-an385"])
def test_a_global_hides_a_builtin_however_it_is_made(target):
    outcome = run_script(target, CHECK)
    assert outcome.status == 0, outcome.output
    assert outcome.output.splitlines() == EXPECTED
