"""The libos contract (API.md), checked alike on every target."""
import time

import pytest


def test_board_and_mem_describe_the_target(board):
    output = board.run(
        "import libos\n"
        "b = libos.board()\n"
        "print(sorted(b), b['target'] in ('device', 'posix', 'cpython'))\n"
        "m = libos.mem()\n"
        "print(sorted(k for k in m if k != 'stack_size'))\n"
        "print(m['heap_used'] + m['heap_free'] <= m['heap_total'], m['largest_free'] <= m['heap_free'])\n")
    assert output == ("['clock_hz', 'cpu', 'heap_bytes', 'name', 'target'] True\n"
                      "['heap_free', 'heap_total', 'heap_used', 'largest_free', 'stack_peak']\n"
                      "True True\n")


def test_ticks_stay_monotonic_across_a_wrap(board):
    # Every target starts its ticks a few seconds before their first wrap;
    # the loop goes on half a second past the later of the two.
    output = board.run(
        "import libos\n"
        "start_us, start_ms = libos.ticks_us(), libos.ticks_ms()\n"
        "last_us, last_ms = start_us, start_ms\n"
        "wrapped_us = wrapped_ms = False\n"
        "last_wrap = start_ms\n"
        "backwards = 0\n"
        "while libos.ticks_diff(libos.ticks_ms(), start_ms) < 12000 and not (\n"
        "        wrapped_us and wrapped_ms and libos.ticks_diff(libos.ticks_ms(), last_wrap) > 500):\n"
        "    libos.idle(20000)\n"
        "    now_us, now_ms = libos.ticks_us(), libos.ticks_ms()\n"
        "    if now_us < last_us or now_ms < last_ms:\n"
        "        last_wrap = now_ms\n"
        "    wrapped_us = wrapped_us or now_us < last_us\n"
        "    wrapped_ms = wrapped_ms or now_ms < last_ms\n"
        "    if libos.ticks_diff(now_us, last_us) < 0 or libos.ticks_diff(now_ms, last_ms) < 0:\n"
        "        backwards += 1\n"
        "    last_us, last_ms = now_us, now_ms\n"
        "print(wrapped_us, wrapped_ms, backwards)\n"
        "print(libos.ticks_add(2**30 - 1, 1), libos.ticks_diff(0, 2**30 - 1), libos.ticks_diff(5, 7))\n",
        timeout=300)
    assert output == "True True 0\n0 1 -2\n"


def test_the_alarm_fires_and_wakes_idle(board):
    output = board.run(
        "import libos\n"
        "libos.claim('alarm')\n"
        "start = libos.ticks_us()\n"
        "t = libos.ticks_add(start, 30000)\n"
        "libos.alarm(t)\n"
        "libos.idle(10000000)\n"
        "waited = libos.ticks_diff(libos.ticks_us(), start)\n"
        "print(libos.events() == (('alarm', t),), 30000 <= waited < 10000000)\n"
        "libos.alarm(libos.ticks_add(libos.ticks_us(), 20000))\n"
        "libos.alarm(None)\n"
        "libos.idle(100000)\n"
        "print(libos.events())\n")
    assert output == "True True\n()\n"


def test_idle_time_is_counted_apart_from_work(board):
    # An idle of 50 ms counts (about) 50 ms; a busy loop counts none.
    output = board.run(
        "import libos\n"
        "before = libos.idle_us()\n"
        "libos.idle(50000)\n"
        "slept = libos.ticks_diff(libos.idle_us(), before)\n"
        "before = libos.idle_us()\n"
        "t0 = libos.ticks_ms()\n"
        "while libos.ticks_diff(libos.ticks_ms(), t0) < 30:\n"
        "    pass\n"
        "print(50000 <= slept < 10000000, libos.ticks_diff(libos.idle_us(), before))\n")
    assert output == "True 0\n"


def test_events_arrive_in_order_and_overflow_is_counted(board):
    output = board.run(
        "import libos\n"
        "libos.claim('timer0')\n"
        "before = libos.dropped()\n"
        "libos.timer(0, 1000)\n"
        "start = libos.ticks_ms()\n"
        "while libos.ticks_diff(libos.ticks_ms(), start) < 300:\n"
        "    pass\n"
        "libos.timer(0, 0)\n"
        "events = libos.events()\n"
        "values = [v for s, v in events]\n"
        "print(len(events), set(s for s, v in events), values == list(range(1, 65)))\n"
        "print(libos.dropped() - before > 0)\n"
        "libos.release('timer0')\n")
    assert output == "64 {'timer0'} True\nTrue\n"


def test_unclaimed_sources_post_nothing(board):
    output = board.run(
        "import libos\n"
        "libos.release('alarm')\n"
        "libos.alarm(libos.ticks_add(libos.ticks_us(), 1000))\n"
        "libos.idle(50000)\n"
        "print(libos.events(), 'alarm' in libos.sources(), 'uart1' in libos.sources())\n")
    assert output == "() True True\n"


def test_bytes_between_two_uarts_arrive_intact_at_full_rate(board):
    board.wire_uarts(1, 2)
    output = board.run(
        "import libos\n"
        "tx, rx = libos.uart(1), libos.uart(2)\n"
        "libos.claim('uart2')\n"
        "data = bytes((i * 7 + i // 256) & 255 for i in range(8192))\n"
        "sent, got = 0, bytearray()\n"
        "start = libos.ticks_ms()\n"
        "while len(got) < len(data) and libos.ticks_diff(libos.ticks_ms(), start) < 20000:\n"
        "    if sent < len(data):\n"
        "        sent += tx.write(data[sent:sent + 256])\n"
        "    got += rx.read(2048)\n"
        "    if sent == len(data) and not rx.any():\n"
        "        libos.idle(10000)\n"
        "print(len(got), bytes(got) == data, rx.overruns())\n"
        "print(any(s == 'uart2' for s, v in libos.events()))\n", timeout=300)
    assert output == "8192 True 0\nTrue\n"


def test_the_budget_interrupts_a_busy_loop_and_the_board_answers(board):
    output = board.run(
        "import libos\n"
        "try:\n"
        "    libos.budget(50000)\n"
        "    while True:\n"
        "        pass\n"
        "except libos.SliceExpired:\n"
        "    print('expired')\n"
        "print(issubclass(libos.SliceExpired, BaseException), issubclass(libos.SliceExpired, Exception))\n"
        "libos.budget(20000)\n"
        "libos.budget(0)\n"
        "start = libos.ticks_ms()\n"
        "while libos.ticks_diff(libos.ticks_ms(), start) < 100:\n"
        "    pass\n"
        "print('disarmed')\n")
    assert output == "expired\nTrue False\ndisarmed\n"
    assert board.run("print('still answering')\n") == "still answering\n"


def test_a_swallowed_slice_expiry_is_raised_again(board):
    output = board.run(
        "import libos\n"
        "caught = 0\n"
        "libos.budget(20000)\n"
        "try:\n"
        "    while True:\n"
        "        try:\n"
        "            while True:\n"
        "                pass\n"
        "        except libos.SliceExpired:\n"
        "            caught += 1\n"
        "            if caught == 3:\n"
        "                raise\n"
        "except libos.SliceExpired:\n"
        "    libos.budget(0)\n"
        "print('raised', caught, 'times')\n")
    assert output == "raised 3 times\n"


def test_reset_comes_back_as_software_with_its_reason(board):
    board.run_until_reset("import libos\nlibos.reset('why')\n")
    assert board.run("import libos\nprint(libos.reset_cause())\n") == "('software', 'why')\n"


def test_an_unfed_watchdog_resets_the_board(board):
    if board.name == "netduinoplus2":
        pytest.skip("QEMU 7.2 does not model the STM32 IWDG; the driver is for silicon")
    board.run_until_reset(
        "import libos\n"
        "libos.wdt_start(200)\n"
        "while True:\n"
        "    libos.idle(1000000)\n")
    assert board.run("import libos\nprint(libos.reset_cause())\n") == "('watchdog', None)\n"


def test_a_fed_watchdog_does_not_reset_the_board(board):
    if board.name == "netduinoplus2":
        pytest.skip("QEMU 7.2 does not model the STM32 IWDG; the driver is for silicon")
    board.run_until_reset(
        "import libos\n"
        "libos.wdt_start(300)\n"
        "start = libos.ticks_ms()\n"
        "while libos.ticks_diff(libos.ticks_ms(), start) < 1500:\n"
        "    libos.idle(100000)\n"
        "    libos.wdt_feed()\n"
        "libos.reset('fed the whole time')\n")
    assert board.run("import libos\nprint(libos.reset_cause())\n") == "('software', 'fed the whole time')\n"


def test_the_raw_repl_feeds_a_started_watchdog_while_it_waits(board):
    if board.name in ("cpython", "netduinoplus2"):
        pytest.skip("CPython has no REPL; QEMU 7.2 does not model the STM32 IWDG")
    board.run("import libos\nlibos.wdt_start(2000)\n")
    time.sleep(5)  # the board waits in the raw REPL, two and a half timeouts long
    assert board.run("import libos\nprint(libos.reset_cause())\n") == "('power', None)\n"


def test_bad_input_gets_a_clear_error_and_changes_nothing(board):
    output = board.run(
        "import libos\n"
        "def check(call, value):\n"
        "    try:\n"
        "        call()\n"
        "    except ValueError as error:\n"
        "        print('ValueError', value in str(error))\n"
        "check(lambda: libos.claim('nope'), 'nope')\n"
        "check(lambda: libos.uart(99), '99')\n"
        "check(lambda: libos.idle(-1), '-1')\n"
        "check(lambda: libos.reset('x' * 121), '121')\n"
        "print(libos.events(), libos.uart(1).any())\n")
    assert output == "ValueError True\n" * 4 + "() 0\n"
