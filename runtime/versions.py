"""Which version of a class is current: when runtime.code loads a new
version of a module, each class of the old version names the class of the
same name in the new one (SUCCESSOR), and `latest` follows those names.

A supervisor starts its children through `latest_args`, so that a child spec
that names a gen_server's class starts the module's current version after
an upgrade, as OTP's {M, F, A} names the module rather than one version of
it (supervisor.py)."""

SUCCESSOR = "_code_successor"  # the attribute of a superseded class


def latest(value):
    """`value`, or the class that now takes its place if it is a class of
    an old version of its module."""
    if not isinstance(value, type):
        return value
    while SUCCESSOR in value.__dict__:
        value = value.__dict__[SUCCESSOR]
    return value


def latest_args(args):
    """`args` (a tuple), or a list of them with `latest` of each if one is a
    class of an old version: most args are no class, and go as they are."""
    for arg in args:
        if isinstance(arg, type) and SUCCESSOR in arg.__dict__:
            return [latest(value) for value in args]
    return args
