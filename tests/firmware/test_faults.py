"""A fault is reported on the console, recorded, and the board comes back."""
import pytest

from conftest import EMULATED_BOARDS

# An address with nothing behind it on every board we emulate.
UNMAPPED = 0xFFFFFFF0


@pytest.mark.parametrize("board", EMULATED_BOARDS)
def test_a_bus_fault_is_reported_and_the_board_resets_and_answers(booted, board):
    qemu, console = booted(board)
    console.enter_raw()
    console.write(b"\x05A\x01")
    console.read_until(b"R\x01", timeout=10)
    console.write(b"import libos\nlibos.read32(%d)\n\x04" % UNMAPPED)
    report = console.read_until(b"\r\n", timeout=30)
    while b"FAULT:" not in report:
        report = console.read_until(b"\r\n", timeout=30)
    assert b"BusFault pc=0x" in report
    assert b"bfar=0x%08x" % UNMAPPED in report
    qemu.wait_for_event("RESET", timeout=30)
    console.enter_raw()
    output, error = console.exec_raw("import libos\nprint(libos.reset_cause()[0])")
    assert (output, error) == (b"fault\r\n", b"")


def test_a_segfault_on_posix_is_reported_and_the_board_comes_back(posix_repl):
    console = posix_repl()
    console.enter_raw()
    console.write(b"\x05A\x01")
    console.read_until(b"R\x01", timeout=10)
    console.write(b"import libos\nlibos.read32(%d)\n\x04" % UNMAPPED)
    report = console.read_until(b"\r\n", timeout=30)
    while b"FAULT:" not in report:
        report = console.read_until(b"\r\n", timeout=30)
    assert b"SIGSEGV addr=0xfffffff0" in report
    console.enter_raw()
    output, error = console.exec_raw("import libos\nprint(libos.reset_cause())")
    assert output.startswith(b"('fault', 'SIGSEGV addr=0xfffffff0')")
