"""Erlang-style processes for MicroPython and CPython.

    import runtime

    async def echo():
        while True:
            sender, message = await runtime.receive()
            runtime.send(sender, message)

    async def main():
        pid = runtime.spawn(echo)
        runtime.send(pid, (runtime.self_pid(), "hello"))
        print(await runtime.receive(timeout=1000))

    runtime.run(main)

A process is an `async def` function run by the scheduler; it shares nothing
with the others and talks to them only by messages. Links, monitors and exit
signals let one process notice another's end, as in Erlang. Modules: api
(the calls below), traps (receive, sleep, checkpoint), scheduler (the
loop), lifecycle (spawn and the exit path), receive (how messages reach a
process), runq (run queues), process (the record and its states), signals,
links, monitors, registry, table (the process table), sources
(interrupts), watchdog, memory (the out-of-memory policy), limits, timers,
patterns, isolation, terms (Pid and Ref, of this node or another), logger
(reports; runtime.logger), compat.
The behaviours are imported on their own, as OTP's modules:
runtime.gen_server, runtime.supervisor, runtime.gen_statem (and gen, what
they share); runtime.boot starts the application (application.py finds
it) on a board; runtime.node makes this runtime a node of an Erlang
cluster (runtime/dist/ has its layers).

On the device's REPL, `libos.repl_hook(runtime.step)` keeps processes
spawned at the prompt running while it waits for input (boot installs it
when it starts an application).
"""
from runtime import logger
from runtime.api import (cancel_timer, claim, demonitor, evaluate, exit, limits, link,
                         monitor, process_info, processes, read_timer, register,
                         registered, release, run, self_pid, send, send_after, set_limits,
                         spawn, spawn_link, spawn_monitor, spawn_opt, start_timer, step,
                         trap_exit, unlink, unregister, whereis)
from runtime.terms import ANY, TIMEOUT, Pid, ProcessExit, Ref, SystemLimit
from runtime.traps import checkpoint, receive, sleep
