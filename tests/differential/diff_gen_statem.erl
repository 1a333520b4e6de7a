%% gen_statem: timeouts of 0 ms (event, state and generic: queued as events
%% ahead of messages not yet received; an event timeout only if no event
%% is queued before it), their order with next_event and with state
%% changes, timeouts set again or cancelled, postpone, state enter calls,
%% hibernate, and call/stop.
-module(diff_gen_statem).
-behaviour(gen_statem).
-export([main/0, init/1, callback_mode/0, handle_event/4]).
-import(dshow, [out/2]).

callback_mode() -> [handle_event_function, state_enter].
init(_) -> {ok, s, []}.

handle_event(enter, Old, S, D) -> {keep_state, [{enter, Old, S} | D]};
handle_event(cast, {go, Acts}, _S, D) ->
    self() ! info1, gen_statem:cast(self(), cast1),
    {keep_state, D, Acts};
handle_event(cast, {quiet, Acts}, _S, D) -> {keep_state, D, Acts};
handle_event(cast, {move, Acts}, _S, D) -> {next_state, s2, D, Acts};
handle_event(internal, move, _S, D) -> {next_state, s3, [move | D]};
handle_event(internal, {set, Acts}, _S, D) -> {keep_state, [set | D], Acts};
handle_event(cast, pp, s, D) -> {keep_state, [postponed | D], [postpone]};
handle_event({call, From}, get, _S, D) -> {keep_state, [], [{reply, From, lists:reverse(D)}]};
handle_event({call, From}, state, S, _D) -> {keep_state_and_data, [{reply, From, S}]};
handle_event({call, From}, hibernate, _S, D) -> {keep_state, [hibernated | D], [{reply, From, ok}, hibernate]};
handle_event({call, From}, stop, _S, D) -> {stop_and_reply, normal, [{reply, From, stopping}], D};
handle_event(T, C, S, D) -> {keep_state, [{T, C, S} | D]}.

run(Name, Msg) ->
    {ok, P} = gen_statem:start(?MODULE, [], []),
    gen_statem:call(P, get),
    gen_statem:cast(P, Msg),
    timer:sleep(30),
    out(Name, gen_statem:call(P, get)),
    gen_statem:stop(P).

main() ->
    run("event timeout 0 with messages queued", {go, [{timeout, 0, et}]}),
    run("state timeout 0 with messages queued", {go, [{state_timeout, 0, st}]}),
    run("generic timeout 0 with messages queued", {go, [{{timeout, g}, 0, gt}]}),
    run("all three 0", {go, [{{timeout, g}, 0, gt}, {state_timeout, 0, st}, {timeout, 0, et}]}),
    run("all three 0, event timeout first", {go, [{timeout, 0, et}, {state_timeout, 0, st}, {{timeout, g}, 0, gt}]}),
    run("event timeout 0 then next_event", {quiet, [{timeout, 0, et}, {next_event, internal, ie}]}),
    run("state timeout 0 then next_event", {quiet, [{state_timeout, 0, st}, {next_event, internal, ie}]}),
    run("generic timeouts 0 after next_event", {quiet, [{next_event, internal, ie}, {{timeout, g}, 0, gt}, {{timeout, h}, 0, ht}]}),
    run("state timeout 0 with a state change", {move, [{state_timeout, 0, st}]}),
    run("state timeout 0 cancelled by a state change queued before it", {quiet, [{state_timeout, 0, st}, {next_event, internal, move}]}),
    run("generic timeout 0 set twice", {quiet, [{{timeout, b}, 0, b1}, {{timeout, a}, 0, at}, {{timeout, b}, 0, b2}]}),
    run("state timeout 0 cancelled", {quiet, [{state_timeout, 0, st}, {state_timeout, cancel}]}),
    run("state timeout 0 then 10", {quiet, [{state_timeout, 0, st}, {state_timeout, 10, st10}]}),
    run("event timeout 10 then 0", {quiet, [{timeout, 10, et10}, {timeout, 0, et}]}),
    run("generic 5 and state 0", {quiet, [{{timeout, b}, 5, b5}, {state_timeout, 0, s0}]}),
    run("zero timeouts after queued events", {quiet, [{next_event, internal, {set, [{state_timeout, 0, st}, {next_event, internal, inner}]}}, {next_event, internal, e2}]}),
    run("event timeout 10 with an event queued", {quiet, [{timeout, 10, et}, {next_event, internal, ie}]}),
    run("a bare time is an event timeout", {quiet, 5}),
    run("a bare infinity cancels it", {quiet, [{timeout, 5, x}, infinity]}),
    run("a bare 0", {quiet, [0]}),
    {ok, P} = gen_statem:start(?MODULE, [], []),
    out("first state enter", gen_statem:call(P, get)),
    gen_statem:cast(P, pp),
    gen_statem:cast(P, {move, []}),
    timer:sleep(10),
    out("postponed until the state changes", gen_statem:call(P, get)),
    out("hibernate", {gen_statem:call(P, hibernate), gen_statem:call(P, state), gen_statem:call(P, get)}),
    P ! after_hibernate,
    out("woken by a message", gen_statem:call(P, get)),
    out("stop_and_reply", gen_statem:call(P, stop)),
    out("stop a dead machine", catch gen_statem:stop(P)),
    ok.
