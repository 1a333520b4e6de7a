# Which modules use their qstr table from flash: every runtime module
# (the image has a table for each), and not an application's module or a
# built-in one.
import sys

import _image
import greeting  # noqa: F401  (image_app's, which gets no table)
import runtime  # noqa: F401
from runtime import code, gen_server, gen_statem, logger, supervisor  # noqa: F401

for name in sorted(sys.modules):
    print(name, _image.qstrs_in_flash(sys.modules[name]))
print("sys", _image.qstrs_in_flash(sys))
