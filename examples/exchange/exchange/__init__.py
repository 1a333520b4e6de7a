"""A small telephone exchange, the kind of system Erlang was made for.

Subscriber lines place calls to each other; a state machine per call walks
it through number analysis, ringing, conversation and release; a charging
server logs what was said for how long; a traffic generator keeps calls
coming. tree.py shows how it is supervised. Everything is written against
the public runtime API only: this is the example to copy.
"""
