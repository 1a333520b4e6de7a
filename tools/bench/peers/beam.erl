%% The BEAM peer: the workloads on Erlang/OTP, the reference for what this
%% model does natively.
%%
%% The driver compiles this module with erlc into a temporary directory and
%% runs `erl -noshell -pa DIR -run beam main WORKLOAD key=value ...`; it
%% prints one JSON object per line, then halts.
%%
%% The module is also the supervisor callback module of the restart workload:
%% a real OTP supervisor (one_for_one) over a plain linked worker.
-module(beam).
-behaviour(supervisor).
-export([main/1, init/1, start_worker/1]).

main([Workload | Args]) ->
    Line = try run(Workload, [parse_param(A) || A <- Args]) of
               {Value, Unit} ->
                   io_lib:format("{\"workload\": \"~s\", \"value\": ~w, \"unit\": \"~s\"}",
                                 [Workload, Value, Unit])
           catch
               Class:Reason ->
                   Text = io_lib:format("~p:~p", [Class, Reason]),
                   io_lib:format("{\"workload\": \"~s\", \"error\": \"~s\"}",
                                 [Workload, escape(lists:flatten(Text))])
           end,
    io:format("~s~n", [Line]),
    halt(0).

parse_param(Arg) ->
    [Key, Value] = string:split(Arg, "="),
    {list_to_atom(Key), list_to_integer(Value)}.

escape(Text) ->
    lists:flatmap(fun($") -> "\\\"";
                     ($\\) -> "\\\\";
                     ($\n) -> " ";
                     (C) -> [C]
                  end, Text).

now_us() -> erlang:monotonic_time(microsecond).

rate(Count, T0) -> Count * 1.0e6 / max(1, now_us() - T0).

param(Key, Params) -> proplists:get_value(Key, Params).

run("ring", P) -> {ring(param(n, P), param(m, P)), "hops/s"};
run("spawn", P) -> {spawn_bench(param(k, P), param(w, P)), "spawns/s"};
run("pingpong", P) -> {pingpong(param(r, P)), "round trips/s"};
run("selective", P) -> {selective(param(q, P), param(s, P)), "receives/s"};
run("timers", P) -> {timers(param(count, P), param(spread, P)), "timers/s"};
run("restart", P) -> {restart(param(r, P)), "us/restart"};
run("idle_bytes", P) -> {idle_bytes(param(n, P)), "bytes/process"}.

%% ---- ring: a token counted down around N processes, M laps ----

ring(N, M) ->
    Bench = self(),
    Nodes = [spawn(fun() -> receive {next, Next} -> ring_node(Next, Bench) end end)
             || _ <- lists:seq(1, N)],
    [Node ! {next, Next} || {Node, Next} <- lists:zip(Nodes, tl(Nodes) ++ [hd(Nodes)])],
    T0 = now_us(),
    hd(Nodes) ! N * M,
    receive done -> ok end,
    Value = rate(N * M, T0),
    [exit(Node, kill) || Node <- Nodes],
    Value.

ring_node(Next, Bench) ->
    receive
        0 -> Bench ! done, ring_node(Next, Bench);
        Token -> Next ! Token - 1, ring_node(Next, Bench)
    end.

%% ---- spawn: K processes that exit at once, in waves of W; the parent
%% learns of the exits by monitors ----

spawn_bench(K, W) ->
    T0 = now_us(),
    spawn_waves(K, W),
    rate(K, T0).

spawn_waves(0, _) -> ok;
spawn_waves(K, W) ->
    Wave = min(K, W),
    [spawn_monitor(fun() -> ok end) || _ <- lists:seq(1, Wave)],
    await_down(Wave),
    spawn_waves(K - Wave, W).

await_down(0) -> ok;
await_down(K) -> receive {'DOWN', _, process, _, _} -> await_down(K - 1) end.

%% ---- pingpong ----

pingpong(R) ->
    Pong = spawn(fun pong/0),
    T0 = now_us(),
    ping(Pong, R),
    Value = rate(R, T0),
    exit(Pong, kill),
    Value.

ping(_, 0) -> ok;
ping(Pong, R) ->
    Pong ! {ping, self()},
    receive pong -> ping(Pong, R - 1) end.

pong() ->
    receive {ping, From} -> From ! pong, pong() end.

%% ---- selective: match the last of Q queued messages, S times ----

selective(Q, S) ->
    [self() ! {noise, I} || I <- lists:seq(1, Q - 1)],
    self() ! {match, 0},
    T0 = now_us(),
    select(S),
    rate(S, T0).

select(0) -> ok;
select(K) -> receive {match, _} -> self() ! {match, K}, select(K - 1) end.

%% ---- timers: timer I sends I to the bench after I rem Spread ms ----

timers(Count, Spread) ->
    T0 = now_us(),
    [erlang:send_after(I rem Spread, self(), I) || I <- lists:seq(0, Count - 1)],
    await_timers(Count),
    rate(Count, T0).

await_timers(0) -> ok;
await_timers(K) -> receive I when is_integer(I) -> await_timers(K - 1) end.

%% ---- restart: crash the supervised worker, wait until its successor is up ----

%% Crash reports would print 2 x R reports to stderr: logging is switched off
%% so that the figure is the supervisor's, not the console's (the asyncio
%% supervisors log nothing either).
restart(R) ->
    ok = logger:set_primary_config(level, none),
    process_flag(trap_exit, true),
    {ok, Sup} = supervisor:start_link(?MODULE, {self(), R + 1}),
    First = receive {up, W0} -> W0 end,
    T0 = now_us(),
    crash(First, R),
    Elapsed = now_us() - T0,
    exit(Sup, shutdown),
    receive {'EXIT', Sup, _} -> ok end,
    Elapsed / R.

crash(_, 0) -> ok;
crash(Worker, K) ->
    Worker ! crash,
    receive {up, Next} -> crash(Next, K - 1) end.

init({Bench, Intensity}) ->
    Flags = #{strategy => one_for_one, intensity => Intensity, period => 5},
    Child = #{id => worker, start => {?MODULE, start_worker, [Bench]}},
    {ok, {Flags, [Child]}}.

start_worker(Bench) ->
    Pid = spawn_link(fun() ->
                             Bench ! {up, self()},
                             receive crash -> error(crash) end
                     end),
    {ok, Pid}.

%% ---- idle_bytes: memory of N processes blocked in receive ----

idle_bytes(N) ->
    Procs = [spawn(fun() -> receive stop -> ok end end) || _ <- lists:seq(1, N)],
    [wait_blocked(P) || P <- Procs],
    Bytes = lists:sum([element(2, process_info(P, memory)) || P <- Procs]),
    [P ! stop || P <- Procs],
    Bytes / N.

wait_blocked(P) ->
    case process_info(P, status) of
        {status, waiting} -> ok;
        _ -> erlang:yield(), wait_blocked(P)
    end.
