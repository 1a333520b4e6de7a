%% The Erlang side of the interop tests: a real OTP node that drives our node
%% (agent.py, reached as {agent, Node}) and checks what happens, as an
%% Erlang user would see it. Each check prints "ok Name" or
%% "FAIL Name: What"; the tests read those lines.
%%
%%   erl -name e@127.0.0.1 -setcookie C -kernel net_ticktime 4 \
%%       -run cluster_peer checks 'n1@127.0.0.1'
-module(cluster_peer).
-behaviour(gen_server).
-export([checks/1, pair/1, watch_node/1, be_watched/1, wrong_cookie/1, ping_from_ours/1,
         runs_on/1, hammer/1]).
-export([init/1, handle_call/3, handle_cast/2]).

-define(WAIT, 5000).
-define(CALL_MS, 3000).      % a call on a connection whose frame was lost ends sooner: nodedown
-define(RETRY_MS, 100).      % after a failed call, before the next
-define(OK_EVERY, 20).       % calls served between "ok" lines
-define(SETTLE_MS, 3000).    % for what a lost CLOSE left on our node to go (a link's tick or two)

%% ------------------------------------------------------------ entry points

checks([Node0]) ->
    Node = list_to_atom(Node0),
    run(fun() -> all_checks(Node, 70000) end).

%% Two of our nodes: A drives calls, pings, rpc and monitors into B.
pair([A0, B0]) ->
    A = list_to_atom(A0),
    B = list_to_atom(B0),
    run(fun() -> pair_checks(A, B) end).

%% Monitors the node, says "ready", and reports the nodedown (or its absence).
watch_node([Node0]) ->
    Node = list_to_atom(Node0),
    pong = net_adm:ping(Node),
    Pid = agent(Node, echo, []),
    link(Pid),
    process_flag(trap_exit, true),
    monitor_node(Node, true),
    say("ready"),
    T0 = erlang:monotonic_time(millisecond),
    receive
        {nodedown, Node} ->
            say("nodedown ~p ms", [erlang:monotonic_time(millisecond) - T0])
    after 30000 -> say("FAIL no nodedown")
    end,
    receive
        {'EXIT', Pid, noconnection} -> say("ok link noconnection")
    after 1000 -> say("FAIL link noconnection")
    end,
    halt(0).

%% Has our node link to, monitor and monitor_node this node, says "ready"
%% and waits (the test freezes it).
be_watched([Node0]) ->
    Node = list_to_atom(Node0),
    pong = net_adm:ping(Node),
    Linked = spawn(fun() -> timer:sleep(infinity) end),
    Monitored = spawn(fun() -> timer:sleep(infinity) end),
    W1 = agent(Node, watch, [self(), link, Linked]),
    ok = watching(W1),
    W2 = agent(Node, watch, [self(), monitor, Monitored]),
    ok = watching(W2),
    ok = agent(Node, monitor_node, [self(), node()]),
    say("ready"),
    timer:sleep(infinity).

%% Waits (up to 60 s) until the controller of distributed application App
%% on Node says Want runs it, then calls the counter there.
runs_on([Node0, App0, Want0]) ->
    [Node, App, Want] = [list_to_atom(A) || A <- [Node0, App0, Want0]],
    say("runs on ~p", [poll_where(Node, App, Want, 600)]),
    say("counter says ~p", [catch gen_server:call({counter, Want}, next)]),
    halt(0).

poll_where(Node, App, _, 0) -> rpc:call(Node, 'runtime.distributed', where, [App]);
poll_where(Node, App, Want, K) ->
    case rpc:call(Node, 'runtime.distributed', where, [App]) of
        Want -> Want;
        _ -> timer:sleep(100), poll_where(Node, App, Want, K - 1)
    end.

%% Run with another cookie than our node's.
wrong_cookie([Node0]) ->
    Node = list_to_atom(Node0),
    check("erl with another cookie gets pang", fun() -> expect(pang, net_adm:ping(Node)) end),
    say("ready"),
    timer:sleep(infinity).

ping_from_ours([Node0, Other0]) ->
    Node = list_to_atom(Node0),
    run(fun() ->
        check("ours gets pang from erl with another cookie",
              fun() -> expect(pang, agent(Node, ping, [list_to_atom(Other0)])) end) end).

%% Calls our node's counter over and over while test_uart_fuzz.py damages
%% our node's UART, until the file StopFile exists. Prints our node's health
%% before and after ("health {Processes, Runnable, HeapUsed, HeapFree}"),
%% "ok N" (calls served so far) after every OK_EVERY calls and after a
%% failed one, "fail Reason" for each failed call, "nodedown" and "nodeup"
%% as they happen, and "done"; it stops only after a call served. Our
%% node's heartbeat prints on its console.
hammer([Node0, StopFile]) ->
    Node = list_to_atom(Node0),
    ok = net_kernel:monitor_nodes(true, [{node_type, all}]),
    pong = net_adm:ping(Node),
    say("health ~w", [agent(Node, health, [])]),
    agent(Node, heartbeat, []),
    say("ready"),
    Served = hammer(Node, StopFile, 0, true),
    timer:sleep(?SETTLE_MS),
    say("served ~p", [Served]),
    say("health ~w", [agent(Node, health, [])]),
    say("done"),
    halt(0).

hammer(Node, StopFile, Served, Fine) ->
    receive
        {nodedown, Node, _} -> say("nodedown"), hammer(Node, StopFile, Served, Fine);
        {nodeup, Node, _} -> say("nodeup"), hammer(Node, StopFile, Served, Fine)
    after 0 ->
        case filelib:is_file(StopFile) andalso Fine of
            true -> Served;
            false -> hammer_call(Node, StopFile, Served, Fine)
        end
    end.

hammer_call(Node, StopFile, Served, Fine) ->
    case catch gen_server:call({counter, Node}, next, ?CALL_MS) of
        N when is_integer(N) ->
            case (Served + 1) rem ?OK_EVERY =:= 0 orelse not Fine of
                true -> say("ok ~p", [Served + 1]);
                false -> ok
            end,
            hammer(Node, StopFile, Served + 1, true);
        {'EXIT', Reason} ->
            say("fail ~P", [Reason, 6]),
            timer:sleep(?RETRY_MS),
            hammer(Node, StopFile, Served, false)
    end.

run(Checks) ->
    try Checks() catch C:R:S -> say("FAIL crashed: ~p:~p ~p", [C, R, S]) end,
    say("done"),
    halt(0).

say(Text) -> say(Text, []).
say(Format, Args) -> io:format(Format ++ "~n", Args).

check(Name, Fun) ->
    try Fun() of
        ok -> say("ok ~s", [Name]);
        Other -> say("FAIL ~s: ~p", [Name, Other])
    catch C:R:S -> say("FAIL ~s: ~p:~p ~p", [Name, C, R, S])
    end.

expect(Want, Got) when Want =:= Got -> ok;
expect(Want, Got) -> {expected, Want, got, Got}.

%% A command to our agent and its answer.
agent(Node, Command, Args) ->
    {agent, Node} ! list_to_tuple([self(), Command | Args]),
    receive {agent, Result} -> Result after ?WAIT -> agent_timeout end.

watching(W) ->
    receive {watching, W} -> ok after ?WAIT -> {no_watcher, W} end.

seen(What) ->
    receive {seen, What} = M -> M after ?WAIT -> {nothing_seen, What} end.

%% ------------------------------------------------------------ the checks

%% Floats exact in single precision: the posix build's floats are (DESIGN.md).
terms(Big) ->
    [ok, '', 'with space', 'ünïcödé', 0, -1, 255, 256, -134217729, 1 bsl 64,
     -(1 bsl 200), 3.25, -0.0, 6.103515625e-5, <<>>, <<"bytes">>, <<1:3>>, <<255, 7:5>>,
     [], "a string", [1, [2, [3]]], [a | b], [1, 2 | <<"tail">>], {}, {a, {b, c}},
     #{}, #{a => 1, "k" => [1], {t} => #{}}, self(), make_ref(), hd(erlang:ports()),
     fun lists:map/2, fun(X) -> X + 1 end, true, false, undefined,
     lists:seq(1, 300), list_to_binary(lists:duplicate(Big, $x))].

all_checks(Node, Big) ->
    {ok, _} = gen_server:start({local, erl_counter}, ?MODULE, 0, []),
    check("ping", fun() -> expect(pong, net_adm:ping(Node)) end),
    %% Calls now and then for one and a half tick times: the connection must
    %% hold (each side hears the other, ticks or not).
    check("the connection outlives the tick time", fun() ->
        monitor_node(Node, true),
        Rounds = 3 * net_kernel:get_net_ticktime(),
        Calls = [agent(Node, nodes, []) || _ <- lists:seq(1, Rounds), ok =:= timer:sleep(500)],
        monitor_node(Node, false),
        receive {nodedown, Node} -> nodedown
        after 0 -> expect(true, lists:all(fun(R) -> lists:member(node(), R) end, Calls))
        end end),
    check("hidden", fun() -> expect(true, lists:member(Node, nodes(hidden))) end),
    check("our ping", fun() -> expect(pong, agent(Node, ping, [node()])) end),
    check("our nodes", fun() -> expect(true, lists:member(node(), agent(Node, nodes, []))) end),
    Echo = agent(Node, echo, []),
    check("remote pid", fun() -> expect(Node, node(Echo)) end),
    check("terms round trip", fun() ->
        %% (A board takes seconds for the big binary: the patience is not a
        %% speed check; the time is printed.)
        T0 = erlang:monotonic_time(millisecond),
        Bad = [T || T <- terms(Big), begin Echo ! {self(), T},
                                        receive R -> R =/= T after 6 * ?WAIT -> true end end],
        say("terms round trip took ~p ms", [erlang:monotonic_time(millisecond) - T0]),
        expect([], Bad) end),
    check("our pid comes back equal", fun() ->
        Echo ! {self(), Echo}, receive E -> expect(Echo, E) after ?WAIT -> timeout end end),
    check("send to name", fun() ->
        register(shell_like, self()),
        ok = agent(Node, send, [{shell_like, node()}, hello]),
        receive hello -> ok after ?WAIT -> timeout end end),
    check("call ours", fun() ->
        expect({1, 2}, {gen_server:call({counter, Node}, next),
                        gen_server:call({counter, Node}, next)}) end),
    check("cast ours", fun() ->
        gen_server:cast({counter, Node}, bump),
        expect(3, gen_server:call({counter, Node}, get)) end),
    check("call ours, no such name", fun() ->
        case catch gen_server:call({nosuch, Node}, x, 1000) of
            {'EXIT', {noproc, _}} -> ok;
            Other -> Other
        end end),
    check("our call", fun() ->
        expect({ok, 1}, agent(Node, call, [{erl_counter, node()}, next])) end),
    check("our call, no such name", fun() ->
        expect({exit, noproc}, agent(Node, call, [{nosuch, node()}, next])) end),
    check("our call, no such node", fun() ->
        expect({exit, {nodedown, 'nosuchnode@127.0.0.1'}},
               agent(Node, call, [{counter, 'nosuchnode@127.0.0.1'}, next])) end),
    check("our call, timeout", fun() ->
        expect({exit, timeout}, agent(Node, call, [{erl_counter, node()}, {sleep, 2500}])) end),
    check("call ours, timeout", fun() ->
        case catch gen_server:call({counter, Node}, {sleep, 500}, 100) of
            {'EXIT', {timeout, _}} -> ok;
            Other -> Other
        end end),
    check("gen_statem", fun() ->
        expect({on, off}, {gen_statem:call({switch, Node}, flip),
                           gen_statem:call({switch, Node}, flip)}) end),
    check("nodeup and nodedown", fun() ->
        ok = agent(Node, monitor_nodes, [self()]),
        erlang:disconnect_node(Node),
        receive
            {seen, {nodedown, N1}} when N1 =:= node() ->
                receive {seen, {nodeup, N2}} when N2 =:= node() -> ok
                after ?WAIT -> no_nodeup
                end
        after ?WAIT -> no_nodedown
        end end),
    check("rpc into ours", fun() ->
        expect(4.0, rpc:call(Node, math, sqrt, [16.0])) end),
    check("rpc into ours, our node's name", fun() ->
        expect(Node, rpc:call(Node, 'runtime.node', name, [])) end),
    check("rpc into ours, undef", fun() ->
        expect({badrpc, {'EXIT', {undef, [{nosuchmod, f, [], []}]}}},
               rpc:call(Node, nosuchmod, f, [])) end),
    check("rpc into ours, an exception", fun() ->
        case rpc:call(Node, math, sqrt, [-1.0]) of
            {badrpc, {'EXIT', {{'ValueError', Text}, []}}} when is_binary(Text) -> ok;
            Other -> Other
        end end),
    check("our rpc", fun() ->
        expect(6, agent(Node, rpc, [node(), lists, sum, [[1, 2, 3]]])) end),
    check("our rpc, undef", fun() ->
        case agent(Node, rpc, [node(), nosuchmod, f, []]) of
            {badrpc, {'EXIT', {undef, _}}} -> ok;
            Other -> Other
        end end),
    process_flag(trap_exit, true),
    check("link, remote crash", fun() ->
        P = agent(Node, echo, []),
        link(P),
        P ! {exit, boom},
        receive {'EXIT', P, R} -> expect(boom, R) after ?WAIT -> timeout end end),
    check("unlink", fun() ->
        P = agent(Node, echo, []),
        link(P),
        unlink(P),
        P ! {exit, boom},
        receive {'EXIT', P, R} -> {unexpected, R} after 500 -> ok end end),
    check("monitor, remote kill", fun() ->
        P = agent(Node, echo, []),
        M = monitor(process, P),
        exit(P, kill),
        receive {'DOWN', M, process, P, R} -> expect(killed, R) after ?WAIT -> timeout end end),
    check("monitor a dead pid", fun() ->
        P = agent(Node, echo, []),
        M0 = monitor(process, P),
        P ! {exit, normal},
        receive {'DOWN', M0, _, _, _} -> ok end,
        M = monitor(process, P),
        receive {'DOWN', M, process, P, R} -> expect(noproc, R) after ?WAIT -> timeout end end),
    check("demonitor", fun() ->
        P = agent(Node, echo, []),
        M = monitor(process, P),
        true = demonitor(M),
        P ! {exit, boom},
        receive {'DOWN', M, _, _, _} = D -> {unexpected, D} after 500 -> ok end end),
    check("supervisor restart, seen by a monitor on the name", fun() ->
        M = monitor(process, {counter, Node}),
        catch gen_server:call({counter, Node}, crash),
        receive
            {'DOWN', M, process, {counter, Node}, _} ->
                expect(0, retry(fun() -> gen_server:call({counter, Node}, get) end, 20))
        after ?WAIT -> timeout
        end end),
    check("our link, erl crash", fun() ->
        P = spawn(fun() -> receive die -> exit(bye) end end),
        W = agent(Node, watch, [self(), link, P]),
        receive {watching, W} -> ok after ?WAIT -> no_watcher end,
        P ! die,
        expect({seen, {'EXIT', P, bye}}, seen({'EXIT', P, bye})) end),
    check("our monitor by name", fun() ->
        P = spawn(fun() -> receive die -> exit(gone) end end),
        register(victim, P),
        W = agent(Node, watch, [self(), monitor, {victim, node()}]),
        receive {watching, W} -> ok after ?WAIT -> no_watcher end,
        P ! die,
        receive {seen, {'DOWN', _, process, {victim, N}, gone}} when N =:= node() -> ok
        after ?WAIT -> timeout
        end end),
    check("our monitor, dead pid", fun() ->
        P = spawn(fun() -> ok end),
        timer:sleep(50),
        W = agent(Node, watch, [self(), monitor, P]),
        receive {watching, W} -> ok after ?WAIT -> no_watcher end,
        receive {seen, {'DOWN', _, process, P, R}} -> expect(noproc, R)
        after ?WAIT -> timeout end end),
    check("our exit signal", fun() ->
        Self = self(),
        P = spawn(fun() -> process_flag(trap_exit, true),
                           Self ! ready,
                           receive {'EXIT', From, Why} -> Self ! {got, node(From), Why} end end),
        receive ready -> ok end,
        ok = agent(Node, exit, [P, please]),
        receive {got, N, Why} -> expect({Node, please}, {N, Why}) after ?WAIT -> timeout end end),
    ok.

retry(Fun, 0) -> Fun();
retry(Fun, K) ->
    case catch Fun() of
        {'EXIT', _} -> timer:sleep(50), retry(Fun, K - 1);
        Value -> Value
    end.

pair_checks(A, B) ->
    %% Each connects to the other at the same moment: one connection wins, as
    %% OTP arbitrates, and neither side's call fails.
    check("a and b connect at once", fun() ->
        [{agent, Node} ! {self(), meet, Other} || {Node, Other} <- [{A, B}, {B, A}]],
        Answers = [receive {agent, R} -> R after ?WAIT -> timeout end || _ <- [1, 2]],
        expect([{true, {ok, 0}}, {true, {ok, 0}}], Answers) end),
    check("a pings b", fun() -> expect(pong, agent(A, ping, [B])) end),
    check("a calls b", fun() -> expect({ok, 1}, agent(A, call, [{counter, B}, next])) end),
    check("a rpc b", fun() -> expect(4.0, agent(A, rpc, [B, math, sqrt, [16.0]])) end),
    check("b knows a", fun() -> expect(true, lists:member(A, agent(B, nodes, []))) end),
    check("a monitors b's server", fun() ->
        W = agent(A, watch, [self(), monitor, {counter, B}]),
        receive {watching, W} -> ok after ?WAIT -> no_watcher end,
        agent(B, call, [counter, crash]),
        receive {seen, {'DOWN', _, process, {counter, B}, _}} -> ok after ?WAIT -> timeout end
        end),
    check("a links to b's echo", fun() ->
        P = agent(B, echo, []),
        W = agent(A, watch, [self(), link, P]),
        receive {watching, W} -> ok after ?WAIT -> no_watcher end,
        P ! {exit, boom},
        receive {seen, {'EXIT', P, boom}} -> ok after ?WAIT -> timeout end end),
    ok.

%% ------------------------------------------------------------ erl_counter

init(N) -> {ok, N}.
handle_call(next, _From, N) -> {reply, N + 1, N + 1};
handle_call(get, _From, N) -> {reply, N, N};
handle_call({sleep, Ms}, _From, N) -> timer:sleep(Ms), {reply, N, N}.
handle_cast(_, N) -> {noreply, N}.
