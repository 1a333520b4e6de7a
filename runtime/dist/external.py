"""How this node's Pids and Refs go out on the wire and come back: the term
codec's adapter (its contract is in etf_types.py).

A pid of this node goes out with the node's name and creation, its number
split into ID (the low 32 bits) and serial; a reference with its number in
three ID words, the first of 18 bits as OTP's own. Coming back, one of the
current incarnation becomes the live process's own Pid (or, the process
gone, an equal one) and the equal Ref; one of an older incarnation stays
foreign, so nothing is delivered to it, as OTP drops messages to the pids
of a node's earlier life.
"""
from runtime.terms import Pid, Ref, node_name

_WORD = 0xFFFFFFFF


class Identity:
    """This node's creation and its process table, for the adapter."""

    def __init__(self, table):
        self.table = table
        self.creation = 0

    def pid(self, node, id, serial, creation):
        if creation == self.creation and node == node_name():
            n = id | serial << 32
            p = self.table.get(n)
            return p.pid if p is not None else Pid(n, None)
        return Pid.external(node, id, serial, creation)

    def ref(self, node, creation, ids):
        if creation == self.creation and len(ids) == 3 and node == node_name():
            return Ref(ids[0] | ids[1] << 18 | ids[2] << 50)
        return Ref.external(node, creation, ids)

    def pid_fields(self, obj):
        if type(obj) is not Pid:
            return None
        if obj._node is None:
            return (node_name(), obj.n & _WORD, obj.n >> 32, self.creation)
        return (obj._node, obj.n, obj.serial, obj.creation)

    def ref_fields(self, obj):
        if type(obj) is not Ref:
            return None
        if obj._node is None:
            n = obj.n
            return (node_name(), self.creation, (n & 0x3FFFF, (n >> 18) & _WORD, n >> 50))
        return (obj._node, obj.creation, obj.ids)
