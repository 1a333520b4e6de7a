"""Build the firmware for a board (make -C firmware), once per process.

Each image has its own build folder: build/<board> for the runtime alone,
build/<board>-<app> when an application joins it (and build/posix-sanitize
for the sanitizer build), so builds for different images never overwrite
each other's firmware, even when several run at once.
"""
import hashlib
import os
import subprocess

from boards import REPO, build_dir, firmware_path

_built = set()


class BuildFailed(RuntimeError):
    pass


def _folders(app):
    """app, a folder or a list of folders, as a list."""
    return [app] if isinstance(app, str) else list(app)


def variant_name(board, app=None, sanitize=False):
    """The build folder's name under build/ for this image."""
    name = board + ("-sanitize" if sanitize else "")
    if app:
        folders = _folders(app)
        tag = "-".join(os.path.basename(os.path.normpath(f)) for f in folders)
        digest = hashlib.sha1("\0".join(os.path.abspath(f) for f in folders).encode()).hexdigest()
        name += "-%s-%s" % (tag, digest[:6])
    return name


def build_firmware(board, app=None, sanitize=False):
    """Builds (or brings up to date) the board's firmware; returns its path.
    app: a folder, or a list of folders, whose modules join runtime/ in the
    image. sanitize: the posix board under AddressSanitizer and UBSan."""
    variant = variant_name(board, app, sanitize)
    if variant not in _built:
        command = ["make", "-C", os.path.join(REPO, "firmware"), "-j2", "BOARD=" + board,
                   "BUILD=" + build_dir(variant)]
        if app:
            command.append("APP=" + " ".join(os.path.abspath(f) for f in _folders(app)))
        if sanitize:
            command.append("SANITIZE=1")
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if result.returncode != 0:
            raise BuildFailed("building the firmware for %s failed:\n%s"
                              % (board, result.stdout.decode(errors="replace")[-4000:]))
        _built.add(variant)
    return firmware_path(board, variant)
