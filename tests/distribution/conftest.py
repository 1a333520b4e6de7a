"""tests/distribution: the term codec and MD5 in this CPython, with OTP 25's erl as
the oracle (etf_oracle.erl), and the same checks run as a script on every
target (test_targets.py)."""
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path[:0] = [REPO, os.path.join(REPO, "libos", "cpython"), os.path.join(REPO, "tools")]


class Erl:
    """OTP's term_to_binary and binary_to_term, through etf_oracle.erl
    compiled into `workdir`; each call is one erl run (about a second)."""

    def __init__(self, workdir):
        self.workdir = workdir
        subprocess.run(["erlc", "-o", workdir, os.path.join(HERE, "etf_oracle.erl")], check=True)
        self._corpus = None

    def _run(self, *args):
        result = subprocess.run(
            ["erl", "-noshell", "-pa", self.workdir, "-run", "etf_oracle", "main"]
            + list(args) + ["-s", "init", "stop"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60, check=True)
        return result.stdout.decode().splitlines()

    def corpus(self):
        """[(name, bytes)]: term_to_binary of terms covering every tag."""
        if self._corpus is None:
            self._corpus = [(name, bytes.fromhex(hexed))
                            for name, hexed in (line.split(" ") for line in self._run("corpus"))]
        return self._corpus

    def normalize(self, encodings):
        """For each encoding, OTP's encoding of the term it decodes to, or
        None where binary_to_term raises badarg."""
        assert all(encodings), "the oracle reads one hex line per encoding"
        path = os.path.join(self.workdir, "normalize.hex")
        with open(path, "w") as f:
            f.write("".join(data.hex() + "\n" for data in encodings))
        lines = self._run("normalize", path)
        assert len(lines) == len(encodings), lines[-5:]
        return [None if line == "badarg" else bytes.fromhex(line) for line in lines]


@pytest.fixture(scope="session")
def erl(tmp_path_factory):
    return Erl(str(tmp_path_factory.mktemp("erl")))
