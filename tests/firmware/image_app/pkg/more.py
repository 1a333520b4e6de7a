from . import VALUE
NEXT = VALUE + 1
