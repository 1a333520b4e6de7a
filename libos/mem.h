// Memory: where the GC heap lives and how deep the stack has been.
#ifndef LIBOS_MEM_H
#define LIBOS_MEM_H

#include <stddef.h>
#include <stdint.h>

// The heap region the board gives to MicroPython's GC.
void mem_heap(void **start, void **end);

// Paints the unused stack so mem_stack_peak() can find the high-water mark.
void mem_init(void);
// Deepest the stack has been since boot, in bytes.
size_t mem_stack_peak(void);
size_t mem_stack_size(void);
// The stack's top: above every frame that runs, the first (libos_main's and
// its callers') included. MicroPython's GC takes roots from the live frame up
// to here; a top taken deeper would hide the outer frames' locals from it.
void *mem_stack_top(void);

#endif
