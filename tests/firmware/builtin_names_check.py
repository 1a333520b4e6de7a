# What the builtin-names patch (tools/patches/micropython-builtin-globals.patch)
# must keep true: a global of a builtin's name, made at any time and in any
# way, hides the builtin from then on, and only while it exists. The patch
# sends a load of a builtin's name straight to the builtins while the
# module's map has no such key; each case below adds one another way.
import builtins


def count(x):
    return len(x)


print("builtin len:", count("abc"))
len = lambda x: -1  # noqa: E731 (a module global made after count was)
print("module's len:", count("abc"))
del len
print("builtin again:", count("abc"))

g = {}
exec("def f(s):\n    return len(s)\n", g)
print("exec's globals:", g["f"]("ab"))
g["len"] = lambda s: 42
print("a key stored later:", g["f"]("ab"))

h = g.copy()
exec("def k():\n    return len('abcd')\nr = k()\n", h)
print("a copied map:", h["r"])

e = {}
exec("def n():\n    return __name__\n", e)
print("__name__:", e["n"](), __name__)

made = "".join(["isin", "stance"])  # a key made at run time, not a literal


def kind(v):
    return isinstance(v, int)


print("builtin isinstance:", kind(1))
globals()[made] = lambda a, b: "mine"
print("through globals():", kind(1))

saved = builtins.abs
builtins.abs = lambda x: "patched"


def absolute(x):
    return abs(x)


print("builtins overridden:", absolute(-1))
builtins.abs = saved
print("and restored:", absolute(-1))
