"""Live code loading: a new version of a module into the running system,
and OTP's release step that moves a module's servers onto it.

    load(name, source_or_mpy, digest=None)
        Compiles the new version into a fresh module first: source (str,
        or UTF-8 bytes) anywhere; an .mpy (bytes from the host's mpy-cross,
        of the .mpy version this MicroPython reads) on MicroPython only. When
        that went through (the module body ran without raising), its names
        take the place of the old ones in the same module object, and names
        the new version dropped are removed: `import name` and calls through
        the module (name.f(), name.Class) reach the new code. A name not
        loaded before becomes a module (its parent package, if any, must be
        importable). A load that fails (SyntaxError, ImportError,
        MemoryError, a module body that raises, a wrong .mpy) leaves the old
        version as it was and raises LoadError saying why. Returns the
        module. On a board, compiling a long source may take longer than a
        slice (the process loading it is then cut, the old version stays):
        send the .mpy (make deploy does).

    await upgrade(name, source_or_mpy, servers, extra=None, timeout=5000, digest=None)
        OTP's step for one module (release_handler's suspend, load,
        code_change, resume): suspends `servers` (pids or names of
        gen_servers and gen_statems; calls to them wait in their mailboxes,
        none is lost), loads the version, then in each server calls
        `code_change(old_vsn, state, extra)` of the class of the new version
        named as the server's current one, then resumes them. If suspend,
        load or a code_change fails, each server changed so far gets its old
        callback object and state back, the module its old version, every
        server is resumed, and UpgradeError says which step failed and why.
        A server that exits while suspended cannot be resumed: the others go
        on with the new version and UpgradeError names the resume step (the
        exited one's supervisor restarts it). One upgrade runs at a time: a
        second one meanwhile fails at once. A gen_statem's code_change is
        its own, code_change(old_vsn, state, data, extra).

    await servers_of(name, timeout=5000)
        The gen_servers and gen_statems whose callback class lives in module
        `name`, by registered name when they have one, else by pid: whom
        an upgrade of `name` must move (make deploy asks the board this).

    digests()
        {module: MD5 of its source} for every module whose source is known
        (the image's application modules, and loaded ones): what make
        deploy compares APP with. Small, to cross a board's link.

    mpy_version()
        The .mpy version load takes here (None on CPython, which takes
        source only).

    versions()
        What runs: one dict per module with a file or a load behind it,
        sorted by name: 'module', 'origin' ('image': what the system booted
        with, the firmware's frozen image or CPython's files; 'loaded': by
        load), 'vsn', 'md5' (hex digest of the source, when known: a load's,
        or the image's own record of its application modules) and
        'age_ms' (how long ago it was loaded, by libos's clock, which
        wraps: right for 6 days; None for the image).

Versions. A module's version, its `old_vsn` in code_change, is its
module-level `vsn` attribute when it has one (as OTP's -vsn), else the MD5
of its source as a hex string (OTP's default is the MD5 of the module),
else None (an image module built without the record). `digest` lets a
caller that sends an .mpy name the MD5 of the source it was made from
(make deploy does); by default it is the MD5 of what is loaded.

Where we differ from Erlang, and why:
- Erlang keeps two versions of a module and kills processes still running
  the older one at the next load. Python cannot find the frames of an old
  version, so none is killed: frames running old code finish on it and
  every version lives as long as something refers to it.
- A loaded version's functions find their module-level names in their own
  version's namespace (as Erlang's local calls stay in their version); the
  image's version looks its names up in the module itself, so after a load
  its remaining frames call the new version's functions by name. A version
  that rebinds a module-level name with `global` changes its own
  namespace, not the module's: keep state in processes, as Erlang modules
  keep none.
- Names other modules took with `from name import x` keep the version they
  took, as a fun keeps its code. A class of the old version names its
  successor in the new one (runtime/versions.py), which supervisors follow
  when they start a child, as OTP's child specs name modules: a server
  restarted after an upgrade runs the new version.
- On MicroPython, a module body runs with __name__ == '__loading__' (the
  name of its one import, firmware/loading.c); the names are set right
  before anything can call the new version.
The image is what a reset boots: loads live in RAM only.
"""
import sys

import libos

from runtime import gen, logger
from runtime.api import processes
from runtime.compat import MICROPYTHON, format_exception
from runtime.dist.md5 import md5
from runtime.versions import SUCCESSOR

_STAGE_NAME = "__loading__"   # the import that compiles a version on MicroPython
_STAGE_FOLDER = "/load"       # where firmware/loading.c serves it
_IMAGE_DIGESTS = "_image_digests"  # the image's record of its modules' MD5s (tools/image.py)

_loaded = {}  # module name -> (md5 hex, ticks_ms) of its last load
_upgrading = []  # the module an upgrade is moving servers onto, while it does


class LoadError(Exception):
    """A load that did not go through: the old version stays. `reason` is
    what was raised (or a text), `module` the name."""

    def __init__(self, module, reason):
        super().__init__(module, reason)
        self.module = module
        self.reason = reason

    def __str__(self):
        return "loading %s failed: %s" % (self.module, _why(self.reason))


class UpgradeError(Exception):
    """An upgrade that did not go through. `step` is 'suspend', 'load',
    'code_change' or 'resume'; `server` the server it failed on (None for
    the load); `reason` why."""

    def __init__(self, module, step, server, reason):
        super().__init__(module, step, server, reason)
        self.module = module
        self.step = step
        self.server = server
        self.reason = reason

    def __str__(self):
        where = "" if self.server is None else " of %s" % logger.describe(self.server)
        tail = "" if self.step == "resume" else "; the old version goes on"
        return "upgrading %s failed at %s%s: %s%s" % (self.module, self.step, where,
                                                       _why(self.reason), tail)


def _why(reason):
    if isinstance(reason, SyntaxError):
        return "SyntaxError at line %s: %s" % (_syntax_line(reason), reason.args[0])
    if isinstance(reason, BaseException):
        return "%s: %s" % (type(reason).__name__, reason)
    return reason if type(reason) is str else logger.describe(reason)


def _syntax_line(e):
    """The line a SyntaxError names: CPython's lineno; MicroPython puts it
    in the traceback only (File "...", line N)."""
    line = getattr(e, "lineno", None)
    if line is not None:
        return line
    text = format_exception(e)
    at = text.rfind("line ")
    return text[at + 5:].split("\n")[0].split(",")[0] if at >= 0 else "?"


# Load ------------------------------------------------------------------

def _check_name(name):
    if type(name) is not str or not name or not all(
            part and (part[0].isalpha() or part[0] == "_")
            and all(c.isalpha() or c.isdigit() or c == "_" for c in part)
            for part in name.split(".")):
        raise ValueError("a module name is dotted identifiers, e.g. 'app' or 'pkg.mod'; got %r"
                         % (name,))


def _is_mpy(code):
    return type(code) is not str and len(code) > 0 and code[0] == 0x4D  # b'M'


def mpy_version():
    """The .mpy version this runtime loads, or None (see above)."""
    return sys.implementation._mpy & 0xFF if MICROPYTHON else None


def _check_mpy(name, code):
    if not _is_mpy(code):
        return
    if not MICROPYTHON:
        raise LoadError(name, "an .mpy runs on MicroPython only; load the source here")
    wanted = mpy_version()
    if len(code) < 4 or code[1] != wanted:
        raise LoadError(name, "the .mpy is version %s; this MicroPython loads version %d "
                        "(use the mpy-cross that builds its image)"
                        % (code[1] if len(code) > 1 else "unknown", wanted))


def _compile(name, code, data):
    """A fresh module holding version `code` of `name` (`data`: its bytes);
    raises what compiling it or running its body raised."""
    if not MICROPYTHON:
        fresh = type(sys)(name)
        exec(compile(code, "<loaded %s>" % name, "exec"), fresh.__dict__)
        return fresh
    import _loading
    path = "%s/%s.%s" % (_STAGE_FOLDER, _STAGE_NAME, "mpy" if _is_mpy(code) else "py")
    _loading.stage(path, data)
    sys.path.insert(0, _STAGE_FOLDER)
    try:
        fresh = __import__(_STAGE_NAME)
    finally:
        sys.path.pop(0)
        _loading.stage(None, None)
        sys.modules.pop(_STAGE_NAME, None)
    fresh.__name__ = name
    for value in fresh.__dict__.values():
        if isinstance(value, type) and getattr(value, "__module__", None) == _STAGE_NAME:
            value.__module__ = name
    return fresh


def _public(key):
    return not (key.startswith("__") and key.endswith("__"))


class _Swap:
    """Version `fresh` in place of module `name`'s current one; undo() puts
    the old one back. A first load makes an empty module (and its name in
    its parent package) to put it in: as every loaded version, it keeps its
    own namespace."""

    def __init__(self, name, fresh, record):
        self.name = name
        self.before = _loaded.get(name)
        self.made = name not in sys.modules
        # An empty version, compiled: MicroPython cannot call the module type.
        self.module = _compile(name, "", b"") if self.made else sys.modules[name]
        self._replace(fresh.__dict__)
        if self.made:
            parent, leaf = self._parent()
            sys.modules[name] = self.module
            if parent is not None:
                setattr(parent, leaf, self.module)
        _loaded[name] = record

    def _parent(self):
        dot = self.name.rfind(".")
        if dot < 0:
            return None, None
        return __import__(self.name[:dot], None, None, ["_"]), self.name[dot + 1:]

    def _replace(self, new):
        # Everything that allocates happens before the module changes: the
        # copy of its old names, the lists of what to set and what to drop.
        # Setting may still run out of memory (the module's table grows);
        # undoing a partial set only overwrites and deletes, which needs none.
        module = self.module
        self.old = dict(module.__dict__)
        updates = [(k, v) for k, v in new.items() if _public(k)]
        dropped = [k for k in self.old if _public(k) and k not in new]
        self.added = [k for k, _ in updates if k not in self.old]
        self.succeeded = [(self.old[k], v) for k, v in updates if isinstance(self.old.get(k), type)
                          and isinstance(v, type) and self.old[k] is not v]
        try:
            for old, value in self.succeeded:
                setattr(old, SUCCESSOR, value)
            for key, value in updates:
                setattr(module, key, value)
        except BaseException:
            self._restore()
            raise
        for key in dropped:
            delattr(module, key)

    def _restore(self):
        for old, _ in self.succeeded:
            if SUCCESSOR in old.__dict__:
                delattr(old, SUCCESSOR)
        module = self.module
        for key in self.added:
            if key in module.__dict__:
                delattr(module, key)
        for key, value in self.old.items():
            if _public(key):
                setattr(module, key, value)

    def undo(self):
        if self.made:
            del sys.modules[self.name]
            parent, leaf = self._parent()
            if parent is not None and getattr(parent, leaf, None) is not None:
                delattr(parent, leaf)
        else:
            self._restore()
        if self.before is None:
            del _loaded[self.name]
        else:
            _loaded[self.name] = self.before


def _check_input(name, code, digest):
    _check_name(name)
    if type(code) not in (str, bytes, bytearray):
        raise TypeError("load(%r, ...) needs source (str or bytes) or an .mpy (bytes), got %s"
                        % (name, type(code).__name__))
    if digest is not None and type(digest) is not str:
        raise TypeError("digest is the source's MD5 as hex text, got %r" % (digest,))


def _put_in_place(name, code, digest):
    """Compile and swap; return the _Swap. Raises LoadError. (Its callers
    have checked the input.)"""
    _check_mpy(name, code)
    try:
        # One copy of the source as bytes, for compiling and hashing both:
        # on a board the step most likely to run out of heap.
        data = code.encode() if type(code) is str else bytes(code)
        fresh = _compile(name, code, data)
        record = (digest or _md5_hex(data), libos.ticks_ms())
        return _Swap(name, fresh, record)
    except Exception as e:  # SyntaxError, ImportError, MemoryError, the body's own
        raise LoadError(name, e)


def load(name, code, digest=None):
    """Load version `code` (source, or an .mpy on MicroPython) of module
    `name` in place of its current one; return the module (see above)."""
    _check_input(name, code, digest)
    was = "was " + _vsn_text(vsn_of(name)) if name in sys.modules else "new"
    try:
        _put_in_place(name, code, digest)
    except LoadError as e:
        logger.log("error", "=CODE==== %s" % e)
        raise
    logger.log("notice", "=CODE==== loaded %s %s (%s)" % (name, _vsn_text(vsn_of(name)), was))
    return sys.modules[name]


# Versions --------------------------------------------------------------

def _md5_hex(data):
    return "".join("%02x" % b for b in md5(data))


def _image_digests():
    try:
        return __import__(_IMAGE_DIGESTS).DIGESTS
    except ImportError:
        return {}


def vsn_of(name):
    """Module `name`'s version (see above), or None when it is not loaded
    or nothing names its version."""
    module = sys.modules.get(name)
    if module is None:
        return None
    vsn = getattr(module, "vsn", None)
    return vsn if vsn is not None else _digest(name)


def _digest(name):
    """digests().get(name), without copying them all: a module loaded since
    boot has its own, else the image's."""
    record = _loaded.get(name)
    return record[0] if record is not None else _image_digests().get(name)


def _vsn_text(vsn):
    if vsn is None:
        return "(no version)"
    if type(vsn) is str and len(vsn) == 32:
        return "md5 " + vsn[:8]
    return "vsn " + logger.describe(vsn)


def digests():
    """{module: MD5 hex} of the modules whose source is known (see above)."""
    found = dict(_image_digests())
    for name, record in _loaded.items():
        found[name] = record[0]
    return found


def versions():
    """What is loaded and from where (see above)."""
    known = digests()
    found = []
    for name in sorted(sys.modules):
        module = sys.modules[name]
        if name not in _loaded and getattr(module, "__file__", None) is None:
            continue  # built in: no version of ours
        record = _loaded.get(name)
        found.append({"module": name, "origin": "image" if record is None else "loaded",
                      "vsn": getattr(module, "vsn", None), "md5": known.get(name),
                      "age_ms": None if record is None
                      else libos.ticks_diff(libos.ticks_ms(), record[1])})
    return found


# Upgrade ---------------------------------------------------------------

def _reason(e):
    return getattr(e, "reason", e)


async def upgrade(name, code, servers, extra=None, timeout=5000, digest=None):
    """Move `servers` onto version `code` of module `name` (see above)."""
    if type(servers) not in (list, tuple):
        raise TypeError("servers is a list of pids or names, got %r" % (servers,))
    _check_input(name, code, digest)  # bad input raises before any server is suspended
    servers = list(servers)
    if _upgrading:
        raise UpgradeError(name, "suspend", None, "an upgrade of %s is under way" % _upgrading[0])
    _upgrading.append(name)
    try:
        await _upgrade(name, code, servers, extra, timeout, digest)
    finally:
        _upgrading.pop()


async def _upgrade(name, code, servers, extra, timeout, digest):
    old_vsn = vsn_of(name)
    suspended, classes, changed, swap = [], [], [], None
    try:
        for server in servers:
            try:
                await gen.suspend(server, timeout)
                suspended.append(server)
                classes.append(type(await gen.get_callback(server, timeout)))
            except (Exception, gen.CallExit) as e:
                raise UpgradeError(name, "suspend", server, _reason(e))
        try:
            swap = _put_in_place(name, code, digest)
        except LoadError as e:
            raise UpgradeError(name, "load", None, e.reason)
        module = sys.modules[name]
        for server, old_class in zip(servers, classes):
            try:
                await gen.change_code(server, _new_class(module, old_class), old_vsn, extra,
                                      timeout)
            except (Exception, gen.CallExit) as e:
                raise UpgradeError(name, "code_change", server, _reason(e))
            changed.append(server)
    except UpgradeError as e:
        for server in changed:
            await _quietly(gen.revert_code(server, timeout))
        if swap is not None:
            swap.undo()
        for server in suspended:
            await _quietly(gen.resume(server, timeout))
        logger.log("error", "=CODE==== %s" % e)
        raise
    failed = None
    for server in servers:
        try:
            await gen.resume(server, timeout)
        except (Exception, gen.CallExit) as e:
            failed = failed or UpgradeError(name, "resume", server, _reason(e))
    if failed is not None:
        logger.log("error", "=CODE==== %s" % failed)
        raise failed
    logger.log("notice", "=CODE==== upgraded %s %s -> %s: %d server(s)"
               % (name, _vsn_text(old_vsn), _vsn_text(vsn_of(name)), len(servers)))


async def servers_of(name, timeout=5000):
    """The servers running callbacks of module `name` (see above)."""
    from runtime import gen_server, gen_statem
    serving = (gen_server._serve, gen_statem._serve)  # a behaviour's process runs one
    found = []
    for pid in processes():
        record = pid._proc
        if record is None or record.fn not in serving:
            continue
        try:
            callback = await gen.get_callback(pid, timeout)
        except (Exception, gen.CallExit):
            continue  # it exited meanwhile
        if getattr(type(callback), "__module__", None) == name:
            # The record's own name: process_info(pid) would be None had the
            # server exited since it answered.
            found.append(record.name or pid)
    return found


def _new_class(module, old_class):
    """The new version's class named as `old_class`."""
    cls = getattr(module, old_class.__name__, None)
    if not isinstance(cls, type):
        raise ValueError("the new version has no class %s" % old_class.__name__)
    return cls


async def _quietly(call):
    """Undo steps go on past a server that cannot take them (it exited)."""
    try:
        await call
    except (Exception, gen.CallExit):
        pass
