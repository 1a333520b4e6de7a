"""Distribution: our nodes join a cluster of real Erlang/OTP nodes as hidden
nodes, speaking Erlang's own protocol (runtime.node is the public face).
One concept per module, from the bottom:

- carrier: a byte stream between two nodes (TCP through the libos stream
  service on hosts), for the process that owns it; frames: the UART's
  frames, each checked; uart_link: several such streams (channels) over one
  UART, with flow control and sequence numbers (the boards' carrier);
- tcp, uart_link, wire: a node's endpoint (how peers reach it and it them):
  TCP and EPMD on a host, the host bridge (tools/bridge.py) behind a
  board's UART, or another board wired to it;
- etf, etf_types: the External Term Format codec, total and bounded on
  hostile input; external: how this node's Pids and Refs go out and come
  back (the codec's adapter);
- md5: the digest the handshake needs (MicroPython here has no hashlib);
- epmd: registering the node's name and port, and finding a peer's;
- handshake: version 6, both roles; control: the control messages;
- connection: one process per peer, packets to signals and back, ticks;
- rpc: spawn requests, as OTP 25's rpc:call makes them;
- netkernel: the node's state, net_kernel, and the router that takes the
  runtime's signals to other nodes.
"""
