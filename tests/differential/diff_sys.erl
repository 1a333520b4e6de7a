%% OTP's sys on behaviours: suspend (calls wait, none is lost), get_state,
%% resume; and gen_statem in state_functions mode with postpone and state
%% enter calls.
-module(diff_sys).
-export([main/0, init/1, handle_call/3, handle_cast/2, callback_mode/0, locked/3, open/3]).
-import(dshow, [out/2]).

init(counter) -> {ok, 0};
init(door) -> {ok, locked, []}.

handle_call(next, _From, N) -> {reply, N, N + 1}.
handle_cast(_, N) -> {noreply, N}.

callback_mode() -> [state_functions, state_enter].
locked(enter, _Old, D) -> {keep_state, [entered_locked | D]};
locked(cast, {code, 1234}, D) -> {next_state, open, [unlocked | D], [{state_timeout, 10, relock}]};
locked(cast, {code, _}, D) -> {keep_state, [wrong | D]};
locked({call, _From}, open_door, D) -> {keep_state, [postponed | D], [postpone]};
locked({call, From}, log, D) -> {keep_state, [], [{reply, From, lists:reverse(D)}]}.
open(enter, _Old, D) -> {keep_state, [entered_open | D]};
open(state_timeout, relock, D) -> {next_state, locked, [relocked | D]};
open({call, From}, open_door, D) -> {keep_state, [opened | D], [{reply, From, opened}]};
open({call, From}, log, D) -> {keep_state, [], [{reply, From, lists:reverse(D)}]}.

main() ->
    {ok, C} = gen_server:start(?MODULE, counter, []),
    ok = sys:suspend(C),
    Self = self(),
    spawn(fun() -> Self ! {answer, gen_server:call(C, next)} end),
    out("a call to a suspended server waits", receive {answer, A} -> A after 20 -> waiting end),
    out("get_state while suspended", sys:get_state(C)),
    ok = sys:resume(C),
    out("answered once resumed", receive {answer, A2} -> A2 after 100 -> none end),
    out("then", gen_server:call(C, next)),
    {ok, D} = gen_statem:start(?MODULE, door, []),
    gen_statem:cast(D, {code, 1}),
    spawn(fun() -> Self ! {door, gen_statem:call(D, open_door)} end),
    timer:sleep(5),
    out("postponed in locked", gen_statem:call(D, log)),
    gen_statem:cast(D, {code, 1234}),
    out("answered in open", receive {door, R} -> R after 100 -> none end),
    out("get_state of a gen_statem", element(1, sys:get_state(D))),
    timer:sleep(30),
    out("relocked by its state timeout", {element(1, sys:get_state(D)), gen_statem:call(D, log)}),
    ok.
