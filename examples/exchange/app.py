"""The telephone exchange as a board's application (the contract is in
runtime/boot.py): at boot the firmware starts the exchange's root
supervisor, and the REPL keeps it running under the prompt. An image that
also holds the fault injector (examples/faults, as `make demo` builds it)
runs it beside the exchange."""
from exchange import tree

NAME = "exchange"  # as a distributed application (make node NODES=..., make demo-cluster)


def fault_injector():
    """The injector's child spec when the image has it, else None."""
    try:
        import faults
    except ImportError as e:
        if "'faults'" in str(e):
            return None
        raise
    return faults.child_spec()


async def start():
    injector = fault_injector()
    return await tree.start_link([injector] if injector else [])
