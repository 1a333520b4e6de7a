"""The application on the board (runtime/boot.py): the firmware boots into
the image's `app`; when its root supervisor gives up the board resets, and
the next boot reports why. Also when the system wedges: the watchdog, fed
only while the root lives, resets the board. On mps2-an385 in QEMU (the
reset seen as the QMP RESET event), on the posix board (a reset re-executes
it) and on CPython (`python -m runtime.boot`; a reset ends the process)."""
import os
import socket
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "tools"))

from build import build_firmware  # noqa: E402
from emulator import QemuBoard  # noqa: E402
from repl import Console  # noqa: E402
from targets import cpython_env  # noqa: E402

GIVES_UP = os.path.join(HERE, "gives_up")  # the root's only child crashes at once
WEDGES = os.path.join(HERE, "wedges")      # a child stops the scheduler

FIRST_BOOT = b"=BOOT==== root <0.2.0> exited: 'shutdown'; resetting"
GAVE_UP = b"=BOOT==== previous reset: software, reason: root exited: 'shutdown'"
WEDGED = b"=BOOT==== previous reset: watchdog"


@pytest.mark.parametrize("app, report", [(GIVES_UP, GAVE_UP), (WEDGES, WEDGED)],
                         ids=["root_gives_up", "system_wedges"])
def test_mps2_resets_and_the_next_boot_reports_why(app, report):
    firmware = build_firmware("mps2-an385", app=app)
    with QemuBoard("mps2-an385", firmware, paused=True) as qemu:
        with qemu.connect() as sock:
            console = Console(sock, name="mps2-an385")
            qemu.resume()
            if app == GIVES_UP:
                console.read_until(FIRST_BOOT, timeout=120)
            qemu.wait_for_event("RESET", timeout=120)
            console.read_until(report, timeout=120)


@pytest.mark.parametrize("app, report", [(GIVES_UP, GAVE_UP), (WEDGES, WEDGED)],
                         ids=["root_gives_up", "system_wedges"])
def test_posix_resets_and_the_next_boot_reports_why(tmp_path, app, report):
    firmware = build_firmware("posix", app=app)
    ours, theirs = socket.socketpair()
    env = dict(os.environ, LIBOS_RESET_RECORD=str(tmp_path / "reset-record"))
    proc = subprocess.Popen([firmware], stdin=theirs, stdout=theirs, stderr=subprocess.STDOUT, env=env)
    theirs.close()
    try:
        console = Console(ours, name="posix")
        if app == GIVES_UP:
            console.read_until(FIRST_BOOT, timeout=60)
        console.read_until(report, timeout=60)
    finally:
        ours.close()
        proc.kill()
        proc.wait()


# status: how the CPython libos ends the process: RESET_STATUS, WATCHDOG_STATUS
@pytest.mark.parametrize("app, report, status", [(GIVES_UP, GAVE_UP, 82), (WEDGES, WEDGED, 87)],
                         ids=["root_gives_up", "system_wedges"])
def test_cpython_runs_the_same_app_with_main(tmp_path, app, report, status):
    env = cpython_env()
    env["PYTHONPATH"] += os.pathsep + app
    env["LIBOS_RESET_RECORD"] = str(tmp_path / "reset-record")
    for boot in ("first", "second"):
        result = subprocess.run([sys.executable, "-m", "runtime.boot"], env=env, timeout=60,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        output = result.stdout.replace(b"\r\n", b"\n")
        assert result.returncode == status, output.decode(errors="replace")
        assert (report in output) == (boot == "second"), output.decode(errors="replace")
