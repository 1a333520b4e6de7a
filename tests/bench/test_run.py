"""The benchmark driver's logic: statistics, the table, ratios, and what a
missing peer or a failing workload does to the run. Behaviour only: no test
looks at how fast anything ran."""
import importlib.util
import json
import os
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


def table_rows(text):
    """{workload: {column: cell}} from the Markdown table in `text`."""
    lines = [l for l in text.splitlines() if l.startswith("| ")]
    head = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = {}
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = dict(zip(head, cells))
    return rows


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
    assert rows["ring"] == {"workload": "ring", "unit": "hops/s", "a": "1.00M", "b": "2.00M"}
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
    assert "| ring | hops/s | 1.00 |" in out
    assert "p" in err and "ring" in err  # progress goes to stderr


# ---- the real peers, tiny ----

def test_every_installed_peer_runs_every_workload_it_claims(tmp_path):
    out = tmp_path / "RESULTS.md"
    status = bench.main(["--quick", "--out", str(out)])
    rows = table_rows(out.read_text())
    assert status == 0, out.read_text()
    for workload, row in rows.items():
        for impl in bench.IMPLEMENTATIONS:
            text = row[impl.name]
            if text.startswith("not installed") or text == "n/a":
                assert text == "n/a" or workload in impl.workloads
                continue
            assert workload in impl.workloads
            float(text.rstrip("kM"))
    assert all(row[i.name] == "n/a" for row in [rows["max_idle"]] for i in bench.IMPLEMENTATIONS)
