"""The application: the module `app` (app.py at the image's root, from
`make firmware APP=folder`, or on the path), whose `start()` starts the
root supervisor; see boot.py for the contract. Boot looks for it on a
board, `make node` on a host (tools/node_main.py)."""


def find():
    """The `app` module, or None when there is none."""
    try:
        import app
    except ImportError as e:
        if "'app'" in str(e):  # no module named 'app' (not: app imports something missing)
            return None
        raise
    return app
