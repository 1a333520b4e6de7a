"""A fault is reported on the console, recorded, and the board comes back."""
import pytest

from boards import emulated_boards

EMULATED_BOARDS = emulated_boards()

# An address with nothing behind it on every board we emulate.
UNMAPPED = 0xFFFFFFF0


# SHCSR: with its fault enables cleared, a bus fault escalates to HardFault.
SHCSR = 0xE000ED24


def provoke_fault(console, prelude=""):
    """Reads the unmapped address from a script; returns the FAULT line."""
    console.enter_raw()
    console.start_raw("import libos\n%slibos.read32(%d)\n" % (prelude, UNMAPPED))
    line = b""
    while b"FAULT:" not in line:
        line = console.read_until(b"\r\n", timeout=30)
    return line


@pytest.mark.parametrize("board", EMULATED_BOARDS)
def test_a_bus_fault_is_reported_and_the_board_resets_and_answers(booted, board):
    qemu, console = booted(board)
    report = provoke_fault(console)
    assert b"BusFault pc=0x" in report
    assert b"bfar=0x%08x" % UNMAPPED in report
    qemu.wait_for_event("RESET", timeout=30)
    console.enter_raw()
    output, error = console.exec_raw("import libos\nprint(libos.reset_cause()[0])")
    assert (output, error) == (b"fault\r\n", b"")


def test_a_hardfault_is_reported_with_its_status_and_recorded(booted):
    qemu, console = booted("mps2-an385")
    report = provoke_fault(console, "libos.write32(%d, 0)\n" % SHCSR)
    assert b"HardFault pc=0x" in report
    assert b"hfsr=0x40000000" in report     # FORCED: escalated from the bus fault
    qemu.wait_for_event("RESET", timeout=30)
    console.enter_raw()
    output, error = console.exec_raw("import libos\nprint(libos.reset_cause()[1][:9])")
    assert (output, error) == (b"HardFault\r\n", b"")


def test_a_segfault_on_posix_is_reported_and_the_board_comes_back(posix_repl):
    console = posix_repl()
    report = provoke_fault(console)
    assert b"SIGSEGV addr=0xfffffff0" in report
    console.enter_raw()
    output, error = console.exec_raw("import libos\nprint(libos.reset_cause())")
    assert output.startswith(b"('fault', 'SIGSEGV addr=0xfffffff0')")
