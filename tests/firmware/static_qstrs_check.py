# Imports the runtime with its behaviours, then prints qstr_info(): the
# qstrs made on the heap so far. With runtime/'s strings in the firmware's
# static pool (tools/image.py --qstrs), importing it makes almost none.
import micropython

import runtime  # noqa: F401
from runtime import code, gen_server, gen_statem, logger, supervisor  # noqa: F401

micropython.qstr_info()
