%% gen_statem: next_event of every type, repeat_state and its enter call,
%% state timeouts across events and state changes, generic timeouts by
%% name, the rules of state enter calls, and what a bad result does.
-module(diff_gen_statem_events).
-behaviour(gen_statem).
-export([main/0, init/1, callback_mode/0, handle_event/4, terminate/3]).
-import(dshow, [out/2]).

callback_mode() -> [handle_event_function, state_enter].
init(Arg) -> {ok, idle, {Arg, []}}.

terminate(Reason, State, _) -> out("terminate", {Reason, State}).

handle_event(enter, _Old, change_in_enter, _) -> {next_state, elsewhere, x};
handle_event(enter, _Old, postpone_in_enter, _) -> {keep_state_and_data, [postpone]};
handle_event(enter, Old, S, {A, L}) -> {keep_state, {A, [{enter, Old, S} | L]}};
handle_event({call, From}, log, _, {A, L}) -> {keep_state, {A, []}, [{reply, From, lists:reverse(L)}]};
handle_event(cast, {go, Acts}, _, D) -> {keep_state, D, Acts};
handle_event(cast, {move, To, Acts}, _, D) -> {next_state, To, D, Acts};
handle_event(cast, repeat, _, D) -> {repeat_state, D};
handle_event(cast, bad_result, _, _) -> {what, is, this};
handle_event(cast, bad_action, _, D) -> {keep_state, D, [{bogus, action}]};
handle_event({call, From}, {answer_later, X}, _, D) -> {keep_state, D, [{next_event, internal, {reply, From, X}}]};
handle_event(internal, {reply, From, X}, _, D) -> {keep_state, D, [{reply, From, {later, X}}]};
handle_event(T, C, S, {A, L}) -> {keep_state, {A, [{T, C, S} | L]}}.

fresh() -> {ok, P} = gen_statem:start(?MODULE, x, []), gen_statem:call(P, log), P.

main() ->
    P = fresh(),
    gen_statem:cast(P, {go, [{next_event, internal, i}, {next_event, cast, c}, {next_event, info, n}]}),
    out("next_event of each type, in order", gen_statem:call(P, log)),
    out("a reply from an inserted event", gen_statem:call(P, {answer_later, 7})),
    gen_statem:cast(P, repeat),
    out("repeat_state runs the enter call again", gen_statem:call(P, log)),
    gen_statem:cast(P, {go, [{state_timeout, 20, st}]}),
    timer:sleep(5),
    gen_statem:cast(P, other),
    timer:sleep(40),
    out("a state timeout outlives events", gen_statem:call(P, log)),
    gen_statem:cast(P, {go, [{state_timeout, 20, st}]}),
    gen_statem:cast(P, {move, busy, []}),
    timer:sleep(40),
    out("a state change cancels it", gen_statem:call(P, log)),
    gen_statem:cast(P, {move, busy, [{state_timeout, 20, st}]}),
    timer:sleep(5),
    gen_statem:cast(P, {move, busy, []}),
    timer:sleep(40),
    out("a next_state to the same state does not", gen_statem:call(P, log)),
    gen_statem:cast(P, {go, [{{timeout, a}, 10, ga}, {{timeout, b}, 20, gb}]}),
    gen_statem:cast(P, {move, idle, []}),
    timer:sleep(5),
    gen_statem:cast(P, {go, [{{timeout, a}, cancel}]}),
    timer:sleep(40),
    out("generic timeouts: by name, across states", gen_statem:call(P, log)),
    gen_statem:cast(P, {go, [{timeout, 10, et}]}),
    timer:sleep(5),
    P ! poke,
    timer:sleep(30),
    out("any event cancels the event timeout", gen_statem:call(P, log)),
    process_flag(trap_exit, true),
    lists:foreach(fun({Label, Msg}) ->
        {ok, Q} = gen_statem:start_link(?MODULE, x, []),
        gen_statem:cast(Q, Msg),
        %% (erlang's reason adds a stack trace: {Reason, Stack})
        receive {'EXIT', Q, R} -> out(Label, element(1, R)) end
    end, [{"a bad result", bad_result}, {"a bad action", bad_action},
          {"a state change in an enter call", {move, change_in_enter, []}},
          {"postpone in an enter call", {move, postpone_in_enter, []}}]),
    Q2 = fresh(),
    out("call timeout", element(1, element(2, catch gen_statem:call(Q2, no_answer_to_this, 10)))),
    ok.
