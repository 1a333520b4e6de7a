"""runtime/'s strings in the firmware's static qstr pool (tools/image.py
--qstrs, wired in firmware/Makefile): importing the runtime interns its
names, module names and paths, and finds them all in flash instead of
putting them in heap qstr pools. And its modules' qstr tables in flash
(--qstr-tables, firmware/image_tables.h)."""
import os
import re
import subprocess
import sys

import pytest

from image import (check_qstrs, compile_mpy, module_name, mpy_qstrs, python_files, qstr_defs,
                   qstr_tables_c)
from targets import REPO, run_script

sys.path.insert(0, os.path.join(REPO, "build", "micropython", "py"))
from makeqstrdata import qstr_escape  # noqa: E402

CHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static_qstrs_check.py")


@pytest.mark.parametrize("board", ["posix", "mps2-an385"])
def test_importing_the_runtime_puts_next_to_no_qstrs_on_the_heap(board):
    outcome = run_script(board, CHECK)
    assert outcome.status == 0, outcome.output
    info = re.search(r"n_qstr=(\d+), n_str_data_bytes=\d+, n_total_bytes=(\d+)", outcome.output)
    assert info, outcome.output
    # Without the static strings this import made about 740 heap qstrs in
    # 13 KB of pools. What is left: the script's path, "/rom", the platform
    # name and a few strings with a newline or a quote.
    assert int(info.group(1)) <= 16, outcome.output
    assert int(info.group(2)) <= 1024, outcome.output


SOURCE = '''
import runtime.terms

def greet(who):
    print("hello, " + who, 'a"b', "back\\\\slash", "why??!")
    return who.upper_case
'''


def test_qstr_defs_names_what_importing_a_module_interns(tmp_path):
    source = tmp_path / "greeting.py"
    source.write_text(SOURCE)
    mpy = compile_mpy(str(source), "runtime/greeting.mpy", str(tmp_path))
    lines = qstr_defs([("runtime/greeting.mpy", mpy)]).splitlines()
    assert lines == sorted(lines)
    for expected in ["greet", "who", "upper_case", "hello, ", "runtime.terms",
                     "runtime.greeting", "greeting", "/rom/runtime/greeting.mpy",
                     "runtime/greeting.py"]:
        assert "Q(%s)" % expected in lines
    # The C preprocessor reads a Q() line inside a string literal: a quote
    # or a backslash would end or escape it, a trigraph replace itself.
    assert not [line for line in lines if '"' in line or "\\" in line or "??" in line]
    # print is in mpy-cross's own static table: the .mpy holds its index.
    assert "Q(print)" not in lines


def test_the_qstrs_header_is_rewritten_only_when_it_changes(tmp_path):
    runtime = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "runtime")
    header = tmp_path / "image_qstrs.h"
    image = [sys.executable, os.path.join(os.path.dirname(runtime), "tools", "image.py"),
             "--out", str(tmp_path / "image.bin"), "--runtime", runtime, "--qstrs", str(header)]
    subprocess.run(image, check=True)
    first = header.stat().st_mtime_ns
    os.utime(header, ns=(first - 10**9, first - 10**9))
    subprocess.run(image, check=True)
    assert header.stat().st_mtime_ns == first - 10**9
    assert "Q(gen_server)" in header.read_text().splitlines()


PLAIN = '''
def greet(who):
    print("hello, " + who)
'''


def test_qstr_tables_hold_each_module_s_table_where_its_mpy_lists_it(tmp_path):
    (tmp_path / "plain.py").write_text(PLAIN)
    (tmp_path / "quoted.py").write_text(SOURCE)
    entries = [(name, compile_mpy(str(tmp_path / source), name, str(tmp_path)))
               for name, source in [("runtime/plain.mpy", "plain.py"),
                                    ("runtime/quoted.mpy", "quoted.py")]]
    source = qstr_tables_c(entries, [64, 4096], qstr_escape)
    # A module with a string the static pool cannot hold gets no table.
    assert "runtime/quoted.mpy" not in source
    start, qstrs = mpy_qstrs(entries[0][1])
    rows = re.findall(r"\{(\d+), (\d+), qstrs_0\}", source)
    assert rows == [(str(64 + start), str(len(qstrs)))]
    items = re.search(r"qstrs_0\[\] = \{(.*)\};", source).group(1).split(", ")
    assert len(items) == len(qstrs)
    for item, qstr in zip(items, qstrs):
        # mpy-cross's static qstrs keep their numbers; the others are named.
        assert item == (str(qstr) if isinstance(qstr, int) else "MP_QSTR_" + qstr_escape(qstr.decode()))
    assert "MP_QSTR_greet" in items and "MP_QSTR_hello_comma__space_" in items


def test_a_string_whose_name_the_core_has_is_found_out():
    # "_<_" escapes to __lt__, the name of the core's "__lt__": makeqstrdata
    # would keep one string for both, and the build must say which.
    image_qstrs = "Q(spawn)\nQ(_<_)\nQ(a b)\n"
    generated = ('QDEF1(MP_QSTR___lt__, 1, 6, "__lt__")\n'
                 'QDEF1(MP_QSTR_spawn, 2, 5, "spawn")\n'
                 'QDEF1(MP_QSTR_a_space_b, 3, 3, "a b")\n')
    assert check_qstrs(image_qstrs, generated, qstr_escape) == ["_<_"]
    assert check_qstrs("Q(spawn)\nQ(a b)\n", generated, qstr_escape) == []


IMAGE_APP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "image_app")
FLASH_CHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "qstrs_in_flash_check.py")


def modules_with_tables(tmp_path):
    """The runtime modules image.py gives a qstr table, by module name."""
    entries = [(name, compile_mpy(source, name, str(tmp_path)))
               for name, source in python_files(os.path.join(REPO, "runtime"), "runtime/")]
    source = qstr_tables_c(entries, [0] * len(entries), qstr_escape)
    names = {module_name(name) for name in re.findall(r"^// (\S+\.mpy)$", source, re.M)}
    return {name[:-len(".__init__")] if name.endswith(".__init__") else name for name in names}


@pytest.mark.parametrize("board", ["posix", "mps2-an385"])
def test_the_runtime_modules_use_their_qstr_tables_from_flash(board, tmp_path):
    outcome = run_script(board, FLASH_CHECK, app=IMAGE_APP)
    assert outcome.status == 0, outcome.output
    in_flash = dict(line.split() for line in outcome.output.splitlines())
    with_tables = modules_with_tables(tmp_path)
    runtime_modules = {name for name in in_flash if name.startswith("runtime")}
    # All but the few whose strings the static pool cannot hold (a newline,
    # a quote) have one.
    assert len(with_tables & runtime_modules) >= len(runtime_modules) - 2
    for name in runtime_modules:
        assert in_flash[name] == str(name in with_tables), (name, outcome.output)
    # An application's module and a built-in one keep theirs on the heap.
    assert in_flash["greeting"] == "False"
    assert in_flash["sys"] == "False"
