%% The operator's console of `make demo-cluster`: a real Erlang node that
%% drives calls into the exchange on whichever board runs it and prints,
%% one line each, what it sees (the demo's driver reads these lines):
%%   call N Node Result Ms     a call to the exchange's number analysis
%%   nodeup Node | nodedown Node
%% It asks the boards' controllers where the exchange runs (rpc into
%% runtime.distributed:where), skipping a board it has seen go down until
%% it comes back.
-module(demo_console).
-export([main/1]).

-define(EVERY, 250).
-define(CALL_TIMEOUT, 1000).

main(Names) ->
    Boards = [list_to_atom(N) || N <- Names],
    ok = net_kernel:monitor_nodes(true, [{node_type, all}]),
    say("console ~p watching ~p", [node(), Boards]),
    loop(Boards, [], 1).

loop(Boards, Down0, N) ->
    Down = events(Down0),
    Up = [B || B <- Boards, not lists:member(B, Down)],
    [spawn(fun() -> net_kernel:connect_node(B) end) || B <- Down, N rem 8 =:= 0],
    T0 = erlang:monotonic_time(millisecond),
    {Where, Result} = case where(Up) of
        none -> {none, no_board};
        Node -> {Node, catch gen_server:call({analysis, Node}, {analyse, '1001'}, ?CALL_TIMEOUT)}
    end,
    say("call ~p ~p ~p ~p", [N, Where, outcome(Result), erlang:monotonic_time(millisecond) - T0]),
    timer:sleep(?EVERY),
    loop(Boards, Down, N + 1).

outcome({line, '1001'}) -> ok;
outcome({'EXIT', {Reason, _}}) when is_atom(Reason) -> Reason;
outcome({'EXIT', {{Reason, _}, _}}) when is_atom(Reason) -> Reason;
outcome(Other) when is_atom(Other) -> Other;
outcome(_) -> bad_answer.

where([]) -> none;
where([Board | Rest]) ->
    case rpc:call(Board, 'runtime.distributed', where, [exchange], ?CALL_TIMEOUT) of
        Node when is_atom(Node), Node =/= undefined -> Node;
        _ -> where(Rest)
    end.

events(Down) ->
    receive
        {nodedown, Node, _} -> say("nodedown ~p", [Node]), events(lists:usort([Node | Down]));
        {nodeup, Node, _} -> say("nodeup ~p", [Node]), events(lists:delete(Node, Down))
    after 0 -> Down
    end.

say(Format, Args) -> io:format(Format ++ "~n", Args).
