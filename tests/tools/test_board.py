"""tools/board.py: boot a board for other tools, reset it, stop it."""
import os
import re
import subprocess

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON = os.path.join(REPO, ".venv", "bin", "python")
MPREMOTE = os.path.join(REPO, ".venv", "bin", "mpremote")


def board_py(*args):
    return subprocess.run([PYTHON, "board.py"] + list(args), cwd=os.path.join(REPO, "tools"),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)


def mpremote_exec(url, code, *options):
    result = subprocess.run([MPREMOTE, "connect", url, "exec"] + list(options) + [code],
                            stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, timeout=120)
    return result.stdout.decode().replace("\r\n", "\n")


def test_boot_prints_the_url_then_reset_and_stop_control_the_board():
    booted = subprocess.Popen([PYTHON, "board.py", "boot"], cwd=os.path.join(REPO, "tools"),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        first = booted.stdout.readline().decode()
        url = re.search(r"socket://127\.0\.0\.1:\d+", first)
        assert url, first
        url = url.group(0)
        # The board resets instead of answering: do not wait for it.
        mpremote_exec(url, "import libos; libos.reset('by hand')", "--no-follow")
        assert mpremote_exec(url, "import libos; print(libos.reset_cause())") == \
            "('software', 'by hand')\n"
        assert board_py("reset").stdout.decode() == "mps2-an385: reset\n"
        assert mpremote_exec(url, "import libos; print(libos.reset_cause())") == "('power', None)\n"
        assert board_py("stop").stdout.decode() == "mps2-an385: stopped\n"
        assert booted.wait(timeout=30) == 0
    finally:
        if booted.poll() is None:
            booted.kill()
            booted.wait()
        booted.stdout.close()


def test_reset_of_a_board_that_is_not_booted_says_so():
    result = board_py("reset", "--board", "netduinoplus2")
    assert result.returncode != 0
    assert b"netduinoplus2 is not booted (run: board.py boot --board netduinoplus2)" in result.stdout
