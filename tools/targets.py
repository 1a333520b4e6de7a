"""Run a script with the runtime on a target and collect what it printed.

A target is a board (booted in QEMU or, for `posix`, run natively) or
`cpython`. Every runner returns the same `Outcome`, so the scenario corpus and
`make run` treat all targets alike.
"""
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Outcome:
    """What a script did on a target: its exit status and its console output."""

    def __init__(self, status, output):
        self.status = status
        self.output = output

    def __repr__(self):
        return "Outcome(status=%r, output=%r)" % (self.status, self.output)


def cpython_env():
    """Environment in which CPython finds `runtime` and the Python `libos`."""
    env = dict(os.environ)
    paths = [REPO, os.path.join(REPO, "libos", "cpython")]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


def run_cpython(path, timeout):
    proc = subprocess.run(
        [sys.executable, path], env=cpython_env(), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, timeout=timeout)
    return Outcome(proc.returncode, proc.stdout.decode("utf-8", "replace"))


RUNNERS = {
    "cpython": run_cpython,
}


def run_script(target, path, timeout=120):
    """Run the script at `path` on `target`; return its Outcome."""
    if target not in RUNNERS:
        raise ValueError("unknown target %r; known targets: %s"
                         % (target, ", ".join(sorted(RUNNERS))))
    return RUNNERS[target](path, timeout)
