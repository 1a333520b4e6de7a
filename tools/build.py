"""Build the firmware for a board (make -C firmware), once per process."""
import os
import subprocess
import sys

from boards import REPO, firmware_path

# The application each board was last built with in this process.
_built_with = {}


class BuildFailed(RuntimeError):
    pass


def build_firmware(board, app=None, quiet=True, sanitize=False):
    """Builds (or brings up to date) the board's firmware; returns its path.
    sanitize: the posix board under AddressSanitizer and UBSan."""
    key = board + ("-sanitize" if sanitize else "")
    if key not in _built_with or _built_with[key] != app:
        command = ["make", "-C", os.path.join(REPO, "firmware"), "-j2", "BOARD=" + board]
        if app:
            command.append("APP=" + os.path.abspath(app))
        if sanitize:
            command.append("SANITIZE=1")
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if result.returncode != 0:
            raise BuildFailed("building the firmware for %s failed:\n%s"
                              % (board, result.stdout.decode(errors="replace")[-4000:]))
        if not quiet:
            sys.stderr.write(result.stdout.decode(errors="replace"))
        _built_with[key] = app
    return firmware_path(key) if sanitize else firmware_path(board)
