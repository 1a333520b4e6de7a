"""The benchmark driver's logic: statistics, the table, ratios, and what a
missing peer or a failing workload does to the run. Behaviour only: no test
looks at how fast anything ran."""
import importlib.util
import os
import subprocess
import sys
import textwrap

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_spec = importlib.util.spec_from_file_location(
    "bench_run", os.path.join(REPO, "tools", "bench", "run.py"))
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

UNITS = dict((w.name, w.unit) for w in bench.WORKLOADS)


def fake(tmp_path, name, behaviour, workloads=("ring", "spawn", "pingpong"), ours=False):
    """An implementation whose program runs `behaviour`: Python statements that
    see `workload`, `params` (ints) and `unit`, and set `value` or print."""
    program = tmp_path / (name + ".py")
    program.write_text(textwrap.dedent("""\
        import json, sys
        workload = sys.argv[1]
        params = dict((k, int(v)) for k, v in (a.split("=") for a in sys.argv[2:]))
        unit = %r[workload]
        value = None
        %s
        if value is not None:
            print(json.dumps({"workload": workload, "value": value, "unit": unit}))
        """) % (UNITS, textwrap.dedent(behaviour).strip()))
    return bench.Implementation(name, bench.cpython, str(program), workloads, ours=ours)


def not_installed(program, workdir):
    raise bench.NotInstalled("erl (Debian erlang-base)")


def tables(text):
    """[{first column: {column: cell}}] for each Markdown table in `text`."""
    found = []
    head = None
    for line in text.splitlines() + [""]:
        if not line.startswith("| "):
            head = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if head is None:
            head = cells
            found.append({})
        elif set(cells) != {"---"}:
            found[-1][cells[0]] = dict(zip(head, cells))
    return found


def table_rows(text, index=0):
    """{workload: {column: cell}} from the first (or index-th) table in `text`."""
    return tables(text)[index]


def run_main(tmp_path, impls, *args, workloads=None):
    out = tmp_path / "RESULTS.md"
    status = bench.main(["--quick", "--out", str(out)] + list(args), impls,
                        workloads or [w for w in bench.WORKLOADS
                                      if w.name in ("ring", "spawn", "pingpong")])
    return status, table_rows(out.read_text()), out.read_text()


# ---- statistics and formatting ----

def test_summary_is_median_min_max():
    assert bench.summary([5.0, 1.0, 3.0]) == (3.0, 1.0, 5.0)
    assert bench.summary([1, 2, 3, 10]) == (2.5, 1, 10)
    assert bench.summary([7]) == (7, 7, 7)


@pytest.mark.parametrize("value, text", [
    (2951234.0, "2.95M"), (12345678, "12.3M"), (75412.0, "75.4k"), (10000, "10.0k"),
    (2640.0, "2640"), (104.46, "104"), (17.333, "17.3"), (0.5, "0.500"), (0, "0"),
])
def test_number_keeps_three_significant_digits(value, text):
    assert bench.number(value) == text


def test_cell_shows_median_and_spread():
    cell = bench.Cell()
    cell.values = [2.0e6, 1.0e6, 3.0e6]
    assert bench.cell_text(cell) == "2.00M (1.00M..3.00M)"
    cell.values = [264.0]
    assert bench.cell_text(cell) == "264"


def test_ratio_is_ours_median_over_peer_median():
    ours, peer = bench.Cell(), bench.Cell()
    ours.values, peer.values = [1.0, 3.0, 2.0], [4.0, 4.0, 5.0]
    assert bench.ratio(ours, peer) == 0.5
    peer.failure = "boom"
    assert bench.ratio(ours, peer) is None
    assert bench.ratio(ours, bench.Cell("n/a")) is None


# ---- the table ----

def cells_for(impls, workloads, values):
    cells = {}
    for impl in impls:
        for w in workloads:
            cell = cells[impl.name, w.name] = bench.Cell()
            cell.values = values.get((impl.name, w.name), [])
    return cells


def test_table_has_a_row_per_workload_and_a_column_per_implementation(tmp_path):
    impls = [fake(tmp_path, "a", ""), fake(tmp_path, "b", "")]
    works = bench.WORKLOADS[:2]
    cells = cells_for(impls, works, {("a", "ring"): [1.0e6], ("b", "ring"): [2.0e6],
                                     ("a", "spawn"): [10.0], ("b", "spawn"): [20.0]})
    cells["b", "spawn"].failure = "MemoryError | heap"
    rows = table_rows(bench.render(impls, works, cells))
    assert list(rows) == ["ring", "spawn"]
    assert rows["ring"] == {"workload": "ring", "unit": "hops/s", "better": "higher",
                            "a": "1.00M", "b": "2.00M"}
    assert rows["spawn"]["b"] == "failed: MemoryError / heap"


def test_ratio_columns_pair_each_ours_with_each_peer(tmp_path):
    impls = [fake(tmp_path, "peer1", ""), fake(tmp_path, "mine", "", ours=True),
             fake(tmp_path, "peer2", "")]
    works = bench.WORKLOADS[:2]
    cells = cells_for(impls, works, {("peer1", "ring"): [1.0e6], ("mine", "ring"): [5.0e5],
                                     ("peer2", "ring"): [2.0e6], ("mine", "spawn"): [1.0]})
    rows = table_rows(bench.render(impls, works, cells))
    assert rows["ring"]["mine / peer1"] == "0.50x"
    assert rows["ring"]["mine / peer2"] == "0.25x"
    assert rows["spawn"]["mine / peer1"] == ""
    assert "peer1 / mine" not in rows["ring"]


def test_no_ratio_columns_without_ours(tmp_path):
    impls = [fake(tmp_path, "a", ""), fake(tmp_path, "b", "")]
    head = bench.render(impls, bench.WORKLOADS[:1], cells_for(impls, bench.WORKLOADS[:1], {}))
    assert " / " not in head.splitlines()[0]


# ---- whole runs with fake implementations ----

def test_parameters_reach_the_program_and_figures_fill_the_table(tmp_path):
    impl = fake(tmp_path, "p", "value = params.get('n', 0) * params.get('m', 0) + 0.5")
    status, rows, _ = run_main(tmp_path, [impl])
    assert status == 0
    quick = dict((w.name, w.quick) for w in bench.WORKLOADS)["ring"]
    assert rows["ring"]["p"] == bench.number(quick["n"] * quick["m"] + 0.5)


def test_median_of_repeated_runs(tmp_path):
    counter = tmp_path / "count"
    counter.write_text("0")
    impl = fake(tmp_path, "p", """
        n = int(open(%r).read()) + 1
        open(%r, "w").write(str(n))
        value = float(n)
        """ % (str(counter), str(counter)), workloads=("ring",))
    status, rows, _ = run_main(tmp_path, [impl], "--reps", "3",
                               workloads=bench.WORKLOADS[:1])
    assert status == 0
    assert rows["ring"]["p"] == "2.00 (1.00..3.00)"


def test_a_missing_peer_says_so_and_the_others_still_run(tmp_path):
    missing = bench.Implementation("gone", not_installed, "beam.erl", ("ring", "spawn"))
    present = fake(tmp_path, "here", "value = 1.0")
    status, rows, _ = run_main(tmp_path, [missing, present])
    assert status == 0
    assert rows["ring"]["gone"] == "not installed: erl (Debian erlang-base)"
    assert rows["pingpong"]["gone"] == "n/a"
    assert rows["ring"]["here"] == "1.00"


def test_a_failing_workload_is_marked_with_its_reason_and_fails_the_run(tmp_path):
    impl = fake(tmp_path, "p", """
        if workload == "pingpong":
            print(json.dumps({"workload": workload, "error": "MemoryError('boom')"}))
        else:
            value = 1.0
        """)
    status, rows, _ = run_main(tmp_path, [impl])
    assert status == 1
    assert rows["pingpong"]["p"] == "failed: MemoryError('boom')"
    assert rows["ring"]["p"] == "1.00"


@pytest.mark.parametrize("behaviour, reason", [
    ("sys.stderr.write('Traceback\\nMemoryError: heap\\n'); sys.exit(3)",
     "failed: exit status 3: MemoryError: heap"),
    ("print('no json here')", "failed: no result: no json here"),
    ("value = 'fast'", "failed: bad value 'fast'"),
    ("unit = 'furlongs'; value = 1.0", "failed: unit 'furlongs', expected 'hops/s'"),
    ("import time; time.sleep(30)", "failed: timeout after 1 s"),
])
def test_a_broken_program_fails_its_cell(tmp_path, monkeypatch, behaviour, reason):
    monkeypatch.setattr(bench, "QUICK_TIMEOUT_S", 1)
    impl = fake(tmp_path, "p", behaviour, workloads=("ring",))
    status, rows, _ = run_main(tmp_path, [impl], workloads=bench.WORKLOADS[:1])
    assert status == 1
    assert rows["ring"]["p"] == reason


def test_a_launcher_that_breaks_fails_its_column_only(tmp_path):
    def broken(program, workdir):
        raise RuntimeError("erlc: syntax error before: end")

    impls = [bench.Implementation("b", broken, "x.erl", ("ring", "spawn")),
             fake(tmp_path, "ok", "value = 1.0")]
    status, rows, _ = run_main(tmp_path, impls)
    assert status == 1
    assert rows["ring"]["b"] == "failed: erlc: syntax error before: end"
    assert rows["pingpong"]["b"] == "n/a"
    assert rows["ring"]["ok"] == "1.00"


def test_only_keeps_named_implementations_and_workloads(tmp_path):
    impls = [fake(tmp_path, "a", "value = 1.0"), fake(tmp_path, "b", "value = 2.0")]
    status, rows, _ = run_main(tmp_path, impls, "--only", "b,spawn")
    assert status == 0
    assert list(rows) == ["spawn"]
    assert "a" not in rows["spawn"] and rows["spawn"]["b"] == "2.00"
    with pytest.raises(SystemExit):
        run_main(tmp_path, impls, "--only", "nonesuch")


def test_a_quick_run_writes_nothing_unless_told(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(bench, "RESULTS", str(tmp_path / "RESULTS.md"))
    status = bench.main(["--quick"], [fake(tmp_path, "p", "value = 1.0", workloads=("ring",))],
                        bench.WORKLOADS[:1])
    assert status == 0
    assert not (tmp_path / "RESULTS.md").exists()
    out, err = capsys.readouterr()
    assert "| ring | hops/s | higher | 1.00 |" in out
    assert "p" in err and "ring" in err  # progress goes to stderr


# ---- the device table: instructions per operation ----

def test_device_units_are_instructions_per_operation():
    units = dict((w.name, w.device_unit()) for w in bench.WORKLOADS)
    assert units["ring"] == "instructions/hop"
    assert units["pingpong"] == "instructions/round trip"
    assert units["restart"] == "instructions/restart"
    assert units["idle_bytes"] == "bytes/process"
    assert units["max_idle"] == "processes"


def test_device_figures_convert_virtual_time_to_instructions():
    ring, restart, idle = (next(w for w in bench.WORKLOADS if w.name == n)
                           for n in ("ring", "restart", "idle_bytes"))
    assert ring.on_device(1.0e6) == 1000.0  # 10**6 hops per virtual second
    assert restart.on_device(2.5) == 2500.0  # us
    assert idle.on_device(158.0) == 158.0


def test_which_way_is_better():
    better = dict((w.name, (w.better(), w.better(device=True))) for w in bench.WORKLOADS)
    assert better["ring"] == ("higher", "lower")  # hops/s; instructions/hop
    assert better["restart"] == ("lower", "lower")
    assert better["idle_bytes"] == ("lower", "lower")
    assert better["max_idle"] == ("higher", "higher")


def fake_device(tmp_path, name, behaviour, workloads, ours=False):
    impl = fake(tmp_path, name, behaviour, workloads, ours=ours)
    impl.device = True
    return impl


def test_host_and_device_get_a_table_each_with_their_own_ratios(tmp_path):
    impls = [fake(tmp_path, "peer", "value = 2.0e6", workloads=("ring",)),
             fake(tmp_path, "mine", "value = 1.0e6", workloads=("ring",), ours=True),
             fake_device(tmp_path, "dev_floor", "value = 4.0e5", workloads=("ring", "idle_bytes")),
             fake_device(tmp_path, "dev_mine", "value = 1.0e5", workloads=("ring", "idle_bytes"),
                         ours=True)]
    status, _, text = run_main(tmp_path, impls, workloads=[
        w for w in bench.WORKLOADS if w.name in ("ring", "idle_bytes")])
    assert status == 0
    host, device = tables(text)[:2]
    assert list(host) == ["ring"]  # no host implementation has idle_bytes
    assert host["ring"]["mine / peer"] == "0.50x"
    assert "dev_mine" not in host["ring"]
    assert device["ring"]["unit"] == "instructions/hop"
    assert device["ring"]["better"] == "lower"
    assert device["ring"]["dev_floor"] == "2500"  # 10**9 / 4e5
    assert device["ring"]["dev_mine"] == "10.0k"
    assert device["ring"]["dev_mine / dev_floor"] == "4.00x"
    assert device["idle_bytes"]["dev_mine"] == "100k"  # bytes stay bytes
    assert "mine / peer" not in device["ring"]


def test_device_implementations_run_their_own_number_of_times(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "REPS", 4)
    monkeypatch.setattr(bench, "DEVICE_REPS", 2)
    counters = {}
    impls = []
    for name, make in (("host", fake), ("dev", fake_device)):
        counters[name] = tmp_path / ("count-" + name)
        counters[name].write_text("")
        impls.append(make(tmp_path, name, """
            open(%r, "a").write("x")
            value = 1.0
            """ % str(counters[name]), workloads=("ring",)))
    out = tmp_path / "RESULTS.md"
    status = bench.main(["--out", str(out)], impls, bench.WORKLOADS[:1])
    assert status == 0
    assert len(counters["host"].read_text()) == 4
    assert len(counters["dev"].read_text()) == 2


# ---- the targets ----

def target_cells(values):
    cells = {}
    for (impl, workload), value in values.items():
        cell = cells[impl, workload] = bench.Cell()
        if isinstance(value, str):
            cell.failure = value
        else:
            cell.values = [value]
    return cells


def test_targets_say_met_not_met_or_not_measured():
    rows = bench.targets(target_cells({
        ("ours_device", "idle_bytes"): 158.0,
        ("ours_posix", "ring"): 1.0e6, ("floor", "ring"): 1.9e6, ("beam", "ring"): 2.9e6,
        ("ours_device", "sup_tree"): "needs runtime.supervisor",
    }))
    verdicts = [met for _, _, met in rows]
    assert verdicts == [True, True, True, None]
    assert "0.53x" in rows[1][1] and "0.34x" in rows[2][1]
    assert "needs runtime.supervisor" in rows[3][1]
    rows = bench.targets(target_cells({
        ("ours_device", "idle_bytes"): 201.0, ("ours_posix", "ring"): 0.5e6,
        ("floor", "ring"): 1.9e6, ("ours_device", "sup_tree"): 200.0}))
    assert [met for _, _, met in rows] == [False, False, None, False]
    text = bench.render_targets(rows)
    assert "| not met |" in text and "| not measured |" in text


def test_the_report_has_a_targets_section(tmp_path):
    status, _, text = run_main(tmp_path, [fake(tmp_path, "p", "value = 1.0")])
    assert "## Targets" in text
    assert "not measured" in text


# ---- the device launcher ----

def test_the_device_prelude_gives_the_program_its_command_line(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "bench_device", os.path.join(REPO, "tools", "bench", "device.py"))
    device = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(device)
    program = tmp_path / "show.py"
    program.write_text(device.prelude(["ours.py", "ring", "n=1000", "m=10"])
                       + "import sys\nprint(sys.argv[1:])\n")
    out = subprocess.run([sys.executable, str(program)], stdout=subprocess.PIPE, check=True)
    assert out.stdout.decode().strip() == "['ring', 'n=1000', 'm=10']"


# ---- the real programs, tiny ----

def test_every_installed_peer_runs_every_workload_it_claims(tmp_path):
    out = tmp_path / "RESULTS.md"
    peers = [i for i in bench.IMPLEMENTATIONS if not i.ours]
    status = bench.main(["--quick", "--out", str(out)], peers)
    assert status == 0, out.read_text()
    for rows in tables(out.read_text())[:2]:
        for workload, row in rows.items():
            for impl in peers:
                if impl.name not in row:
                    continue
                text = row[impl.name]
                if workload not in impl.workloads:
                    assert text == "n/a"
                elif not text.startswith("not installed"):
                    float(text.rstrip("kM"))


def test_ours_runs_every_workload_on_every_target(tmp_path):
    out = tmp_path / "RESULTS.md"
    ours = [i for i in bench.IMPLEMENTATIONS if i.ours]
    status = bench.main(["--quick", "--out", str(out)], ours)
    assert status == 0, out.read_text()
    host, device, cluster = tables(out.read_text())[:3]
    assert set(cluster) == {"remote_pingpong", "handshake", "node_bytes", "conn_bytes"}
    for rows in (host, device, cluster):
        for workload, row in rows.items():
            for impl in ours:
                text = row.get(impl.name)
                if text is None or text.startswith("not installed") or text == "n/a":
                    continue
                float(text.rstrip("kM"))
    assert "max_idle" in device and "max_idle" not in host
