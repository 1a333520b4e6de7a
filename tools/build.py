"""Build the firmware for a board (make -C firmware), once per process.

Each image has its own build folder: build/<board> for the runtime alone,
build/<board>-<app> when an application joins it (and build/posix-sanitize
for the sanitizer build), so builds for different images never overwrite
each other's firmware, even when several run at once.

An application's folder starts as a copy of its board's own build (made
first): the C sources and flags are the same, only the image differs, so
the core is compiled once per board rather than once per application.
"""
import hashlib
import os
import shutil
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
        if app and not os.path.isdir(build_dir(variant)):
            _seed(build_dir(variant), build_firmware(board, None, sanitize))
        command = ["make", "-C", os.path.join(REPO, "firmware"), "-j2", "BOARD=" + board,
                   "BUILD=" + build_dir(variant)]
        # APP always given: under `make node APP=...` the sub-make would
        # otherwise take the caller's APP (MAKEFLAGS) for the board's own build.
        command.append("APP=" + " ".join(os.path.abspath(f) for f in _folders(app or ())))
        if sanitize:
            command.append("SANITIZE=1")
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if result.returncode != 0:
            raise BuildFailed("building the firmware for %s failed:\n%s"
                              % (board, result.stdout.decode(errors="replace")[-4000:]))
        _built.add(variant)
    return firmware_path(board, variant)


# What a copied build folder must not keep: the image and what is made from
# it, and the posix build's reset record (state of the board it ran).
_IMAGE_PRODUCTS = ("image.bin", "image_blob.o", "firmware", "firmware.elf", "firmware.map",
                   "firmware.reset-record")


def _seed(folder, board_firmware):
    """Start an application's build `folder` as a copy of the board's own
    build (`board_firmware` its product), less the image's products.
    Copied with their times, so make finds the core's objects up to date
    (the dependency files it rewrites are makefile includes, not
    prerequisites: their new times make no object out of date); into a
    temporary name first, so a half copy is never taken for a build."""
    base = os.path.dirname(board_firmware)
    partial = folder + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(base, partial, symlinks=True)
    for name in _IMAGE_PRODUCTS:
        path = os.path.join(partial, name)
        if os.path.exists(path):
            os.remove(path)
    # The dependency files (the core's .P, libos's .d) name the board's
    # folder: make them name this one.
    for root, _, files in os.walk(partial):
        for name in files:
            if name.endswith((".P", ".d")):
                path = os.path.join(root, name)
                with open(path) as f:
                    text = f.read()
                with open(path, "w") as f:
                    f.write(text.replace(base + os.sep, folder + os.sep))
    os.rename(partial, folder)
