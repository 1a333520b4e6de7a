"""Distribution: our nodes join a cluster of real Erlang/OTP nodes as hidden
nodes, speaking Erlang's own protocol. The package grows in layers, one
concept per module, from the bottom: etf (the External Term Format codec,
total and bounded on hostile input), md5 (the digest the handshake needs,
since MicroPython here has no hashlib), then the handshake, connections and
the node on top.
"""
