"""In the image `make node` boots on a board (tools/node.py): the
application starts once the board's node has joined its cluster (by
node_main.py, as on the hosts; under runtime.distributed when given NODES),
not at boot (runtime/boot.py looks for this module)."""
