"""runtime.code's load on CPython: a version goes in place in the same
module object, whatever it replaces goes, a failed load changes nothing,
and bad input is named. (Upgrades: tests/scenarios/code_upgrade.py on every
target; an .mpy and the image's modules: tests/firmware/test_code_load.py.)"""
import hashlib
import sys

import pytest

import runtime
from runtime import code, logger


@pytest.fixture(autouse=True)
def fresh_names():
    previous = logger.set_level("none")
    yield
    logger.set_level(previous)
    for name in [n for n in sys.modules if n.startswith("loaded_")]:
        del sys.modules[name]
        code._loaded.pop(name, None)


def test_a_load_replaces_names_in_the_same_module_and_drops_the_old_ones():
    first = code.load("loaded_m", "vsn = 1\ndef f():\n    return 'one'\ndef gone():\n    pass\n")
    import loaded_m
    assert loaded_m is first and loaded_m.f() == "one"
    old_f = loaded_m.f
    assert code.load("loaded_m", "vsn = 2\ndef f():\n    return 'two'\n") is first
    assert loaded_m.f() == "two" and loaded_m.vsn == 2 and not hasattr(loaded_m, "gone")
    assert old_f() == "one"  # whoever holds the old function keeps the old code
    [entry] = [v for v in code.versions() if v["module"] == "loaded_m"]
    assert entry["origin"] == "loaded" and entry["vsn"] == 2 and len(entry["md5"]) == 32


def test_a_running_frame_finishes_on_the_old_version():
    code.load("loaded_gen", "def steps():\n    yield helper()\n    yield helper()\n"
                            "def helper():\n    return 'old'\n")
    import loaded_gen
    running = loaded_gen.steps()
    assert next(running) == "old"
    code.load("loaded_gen", "def steps():\n    yield 'new'\ndef helper():\n    return 'new'\n")
    assert next(running) == "old" and list(loaded_gen.steps()) == ["new"]


@pytest.mark.parametrize("source, why", [
    ("def f(:\n", "SyntaxError at line 1"),
    ("import loaded_nowhere_to_be_found\n", "No module named"),
    ("x = 1\nraise MemoryError()\n", "MemoryError"),
    ("def f():\n    return 'bad'\nraise KeyError('body')\n", "KeyError"),
])
def test_a_failed_load_leaves_the_old_version_untouched(source, why):
    module = code.load("loaded_keep", "vsn = 'good'\ndef f():\n    return 'good'\n")
    before = dict(module.__dict__)
    with pytest.raises(code.LoadError) as failed:
        code.load("loaded_keep", source)
    assert why in str(failed.value) and "loading loaded_keep failed" in str(failed.value)
    assert module.__dict__ == before and module.f() == "good"
    assert code.vsn_of("loaded_keep") == "good"


def test_a_failed_first_load_makes_no_module():
    with pytest.raises(code.LoadError):
        code.load("loaded_never", "raise ValueError('no')\n")
    assert "loaded_never" not in sys.modules
    assert "loaded_never" not in [v["module"] for v in code.versions()]


def test_a_dotted_first_load_joins_its_package_and_undo_leaves_it():
    code.load("loaded_pkg", "")
    module = code.load("loaded_pkg.inner", "answer = 42\n")
    import loaded_pkg
    assert loaded_pkg.inner is module and module.answer == 42

    from runtime import gen_server

    class Echo(gen_server.GenServer):
        def handle_call(self, request, from_, state):
            return ("reply", request, state)

    async def main():
        # The new module has no class Echo: code_change fails, the load is undone.
        await gen_server.start_link(Echo, None, name="echo")
        with pytest.raises(code.UpgradeError) as failed:
            await code.upgrade("loaded_pkg.undone", "x = 1\n", ["echo"])
        assert failed.value.step == "code_change"

    assert runtime.run(main) == "normal"
    assert "loaded_pkg.undone" not in sys.modules and not hasattr(loaded_pkg, "undone")
    assert "loaded_pkg.undone" not in code.digests()


def test_the_version_is_vsn_else_the_md5_of_the_source():
    source = "def f():\n    pass\n"
    code.load("loaded_v", source)
    assert code.vsn_of("loaded_v") == hashlib.md5(source.encode()).hexdigest()
    code.load("loaded_v", source, digest="0" * 32)
    assert code.vsn_of("loaded_v") == "0" * 32


@pytest.mark.parametrize("name, payload, error, text", [
    ("", "x = 1", ValueError, "dotted identifiers"),
    ("bad name", "x = 1", ValueError, "dotted identifiers"),
    (3, "x = 1", ValueError, "dotted identifiers"),
    ("loaded_t", 42, TypeError, "needs source"),
    ("loaded_t", b"M\x06\x00\x1f", code.LoadError, "MicroPython only"),
])
def test_bad_input_is_named(name, payload, error, text):
    with pytest.raises(error) as failed:
        code.load(name, payload)
    assert text in str(failed.value)


def test_upgrade_refuses_servers_that_are_not_a_list():
    async def main():
        with pytest.raises(TypeError):
            await code.upgrade("loaded_u", "x = 1", "counter")
    assert runtime.run(main) == "normal"


def test_an_upgrade_of_a_server_that_does_not_exist_fails_at_suspend_and_loads_nothing():
    async def main():
        with pytest.raises(code.UpgradeError) as failed:
            await code.upgrade("loaded_u", "x = 1", ["nobody"])
        assert failed.value.step == "suspend" and failed.value.server == "nobody"
        assert "noproc" in str(failed.value)
    assert runtime.run(main) == "normal"
    assert "loaded_u" not in sys.modules


STATEM = '''
from runtime import gen_statem
vsn = %d


class Door(gen_statem.GenStatem):
    callback_mode = "handle_event_function"

    def init(self, arg):
        return ("ok", "closed", 0)

    def handle_event(self, kind, content, state, data):
        return ("keep_state", data + 1, [("reply", kind[1], (vsn, state, data))])

    def code_change(self, old_vsn, state, data, extra):
        %s
'''


def test_an_upgrade_moves_a_gen_statem_and_a_failed_one_puts_it_back():
    from runtime import gen_statem
    code.load("loaded_door", STATEM % (1, "return ('ok', state, data)"))
    import loaded_door

    async def main():
        await gen_statem.start_link(loaded_door.Door, None, name="door")
        assert await gen_statem.call("door", "knock") == (1, "closed", 0)
        await code.upgrade("loaded_door", STATEM % (2, "return ('ok', 'open', data * 10)"),
                           await code.servers_of("loaded_door"))
        assert await gen_statem.call("door", "knock") == (2, "open", 10)
        with pytest.raises(code.UpgradeError) as failed:
            await code.upgrade("loaded_door", STATEM % (3, "raise KeyError('x')"), ["door"])
        assert failed.value.step == "code_change"
        assert await gen_statem.call("door", "knock") == (2, "open", 11)

    assert runtime.run(main) == "normal"


def test_a_second_upgrade_while_one_runs_fails_at_once():
    code.load("loaded_slow", "from runtime import gen_server\n"
                             "class S(gen_server.GenServer):\n"
                             "    def handle_call(self, r, f, s):\n"
                             "        return ('reply', s, s)\n")
    import loaded_slow
    from runtime import gen_server

    async def upgrading(source):
        await code.upgrade("loaded_slow", source, ["slow"])

    async def main():
        await gen_server.start_link(loaded_slow.S, "state", name="slow")
        runtime.spawn(upgrading, "from runtime import gen_server\nx = 1\n"
                      "class S(gen_server.GenServer):\n"
                      "    def handle_call(self, r, f, s):\n"
                      "        return ('reply', s, s)\n")
        await runtime.sleep(0)
        with pytest.raises(code.UpgradeError) as failed:
            await code.upgrade("loaded_slow", "x = 2\n", ["slow"])
        assert "under way" in str(failed.value)
        await runtime.sleep(10)
        assert loaded_slow.x == 1 and await gen_server.call("slow", "get") == "state"

    assert runtime.run(main) == "normal"


def test_bad_input_to_an_upgrade_leaves_its_servers_serving():
    from runtime import gen_server

    class Echo(gen_server.GenServer):
        def handle_call(self, request, from_, state):
            return ("reply", request, state)

    async def main():
        await gen_server.start_link(Echo, None, name="echo")
        with pytest.raises(TypeError):
            await code.upgrade("loaded_b", 42, ["echo"])
        with pytest.raises(ValueError):
            await code.upgrade("not a name", "x = 1", ["echo"])
        assert await gen_server.call("echo", "still here", timeout=100) == "still here"

    assert runtime.run(main) == "normal"
