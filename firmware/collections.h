// How many times MicroPython's heap has been collected since boot, for
// gc.collect() and for allocations that found the heap full alike: the
// runtime reads it (_runtime.collections) to notice a heap so full that it
// is collected again and again (runtime/memory.py).
#ifndef FIRMWARE_COLLECTIONS_H
#define FIRMWARE_COLLECTIONS_H

extern unsigned runtime_collections;

#endif
