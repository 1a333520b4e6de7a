"""What importing the runtime would put on the heap, in flash instead
(tools/image.py --qstr-tables, firmware/image_tables.h): the strings its
modules intern, a qstr pool after the core's, and each module's qstr
table."""
import ast
import os
import re
import sys

import pytest

from image import (compile_mpy, core_qstrs, import_strings, mpy_qstrs, qstr_tables_c,
                   write_if_changed)
from targets import REPO, run_script

sys.path.insert(0, os.path.join(REPO, "build", "micropython", "py"))
from makeqstrdata import compute_hash  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = os.path.join(HERE, "static_qstrs_check.py")


@pytest.mark.parametrize("board", ["posix", "mps2-an385"])
def test_importing_the_runtime_puts_next_to_no_qstrs_on_the_heap(board):
    outcome = run_script(board, CHECK)
    assert outcome.status == 0, outcome.output
    info = re.search(r"n_qstr=(\d+), n_str_data_bytes=\d+, n_total_bytes=(\d+)", outcome.output)
    assert info, outcome.output
    # Without the pool in flash this import made about 740 heap qstrs in
    # 13 KB of pools. What is left: the script's path, "/rom" and the
    # platform's name.
    assert int(info.group(1)) <= 16, outcome.output
    assert int(info.group(2)) <= 1024, outcome.output


SOURCE = '''
import runtime.terms

def greet(who):
    print("hello, " + who, 'a"b', "back\\\\slash", "why??!")
    return who.upper_case
'''
# The core's strings, as qstrdefs.generated.h writes them.
GENERATED = ('QDEF0(MP_QSTR_who, 1, 3, "who")\n'
             'QDEF1(MP_QSTR__0x0a_, 2, 1, "\\x0a")\n'
             'QDEF1(MP_QSTR_runtime, 3, 7, "runtime")\n')


def c_strings(source):
    """The strings of the pool's initializer in image_qstr_tables.c (a C
    literal with octal escapes reads the same as a Python bytes literal)."""
    initializer = re.search(r"\(qstr_len_t \*\)pool_lengths,\n    \{(.*)\},\n", source).group(1)
    return [ast.literal_eval("b" + text) for text in re.findall(r'"(?:[^"\\]|\\.)*"', initializer)]


def test_the_core_s_strings_are_read_as_makeqstrdata_writes_them():
    assert core_qstrs(GENERATED) == {b"who": "MP_QSTR_who", b"\n": "MP_QSTR__0x0a_",
                                     b"runtime": "MP_QSTR_runtime"}


def test_the_pool_holds_what_a_module_interns_that_the_core_has_not(tmp_path):
    (tmp_path / "greeting.py").write_text(SOURCE)
    mpy = compile_mpy(str(tmp_path / "greeting.py"), "runtime/greeting.mpy", str(tmp_path))
    core = core_qstrs(GENERATED)
    source = qstr_tables_c([("runtime/greeting.mpy", mpy)], [64], core, compute_hash)
    pool = c_strings(source)
    assert pool == sorted(pool)
    for expected in [b"greet", b"upper_case", b"hello, ", b'a"b', b"back\\slash", b"why??!",
                     b"runtime.terms", b"runtime.greeting", b"greeting",
                     b"/rom/runtime/greeting.mpy", b"runtime/greeting.py"]:
        assert expected in pool
    # The core has "who"; print is in mpy-cross's static table (the .mpy
    # holds its index).
    assert b"who" not in pool and b"print" not in pool
    # A quote is escaped and no trigraph is left for the C compiler.
    assert "??" not in source and '"a\\042b"' in source
    # The module's table, where its .mpy lists its qstrs in the image: the
    # static ones by number, the core's by name, the pool's by place.
    start, qstrs = mpy_qstrs(mpy)
    assert re.findall(r"\{(\d+), (\d+), qstrs_0\}", source) == [(str(64 + start), str(len(qstrs)))]
    items = re.search(r"qstrs_0\[\] = \{(.*)\};", source).group(1).split(", ")
    assert len(items) == len(qstrs)
    for item, qstr in zip(items, qstrs):
        if isinstance(qstr, int):
            assert item == str(qstr)
        elif qstr in core:
            assert item == core[qstr]
        else:
            assert item == "MP_QSTRnumber_of + %d" % pool.index(qstr)


def test_a_package_is_interned_under_its_own_name():
    assert import_strings("runtime/dist/__init__.mpy") == {
        b"runtime.dist", b"dist", b"/rom/runtime/dist/__init__.mpy", b"/rom/runtime/dist"}


def test_an_unchanged_file_keeps_its_timestamp(tmp_path):
    path = tmp_path / "image_qstr_tables.c"
    write_if_changed(str(path), b"tables")
    first = path.stat().st_mtime_ns
    os.utime(path, ns=(first - 10**9, first - 10**9))
    write_if_changed(str(path), b"tables")
    assert path.stat().st_mtime_ns == first - 10**9
    write_if_changed(str(path), b"other tables")
    assert path.read_bytes() == b"other tables"


IMAGE_APP = os.path.join(HERE, "image_app")
FLASH_CHECK = os.path.join(HERE, "qstrs_in_flash_check.py")


@pytest.mark.parametrize("board", ["posix", "mps2-an385"])
def test_the_runtime_modules_use_their_qstr_tables_from_flash(board):
    outcome = run_script(board, FLASH_CHECK, app=IMAGE_APP)
    assert outcome.status == 0, outcome.output
    in_flash = dict(line.split() for line in outcome.output.splitlines())
    runtime_modules = [name for name in in_flash if name.startswith("runtime")]
    assert len(runtime_modules) > 20, outcome.output
    for name in runtime_modules:
        assert in_flash[name] == "True", (name, outcome.output)
    # An application's module and a built-in one keep theirs on the heap.
    assert in_flash["greeting"] == "False"
    assert in_flash["sys"] == "False"
