%% The BEAM in the distribution workloads: the same as dist_ours.py, on
%% Erlang/OTP (tools/bench/pair.py starts it, with -name and -setcookie).
%%
%%   erl -noshell -name N -setcookie C -pa DIR -run dist_beam main WORKLOAD key=value ...
-module(dist_beam).
-export([main/1]).

main(["echo" | _]) ->
    register(echo, self()),
    io:format("ready~n"),
    echo();
main([Workload | Args]) ->
    Params = [parse_param(A) || A <- Args],
    Line = try run(Workload, Params) of
               {Value, Unit} ->
                   io_lib:format("{\"workload\": \"~s\", \"value\": ~w, \"unit\": \"~s\"}",
                                 [Workload, Value, Unit])
           catch
               Class:Reason ->
                   io_lib:format("{\"workload\": \"~s\", \"error\": \"~p:~p\"}",
                                 [Workload, Class, Reason])
           end,
    io:format("~s~n", [Line]),
    halt(0).

parse_param(Arg) ->
    [Key, Value] = string:split(Arg, "="),
    case string:to_integer(Value) of
        {N, ""} -> {list_to_atom(Key), N};
        _ -> {list_to_atom(Key), list_to_atom(Value)}
    end.

echo() ->
    receive {From, Msg} -> From ! Msg end,
    echo().

run("remote_pingpong", Params) ->
    Peer = proplists:get_value(peer, Params),
    R = proplists:get_value(r, Params),
    true = net_kernel:connect_node(Peer),
    {echo, Peer} ! {self(), 0},
    receive _ -> ok end,
    T0 = erlang:monotonic_time(microsecond),
    pingpong({echo, Peer}, R),
    {R * 1000000 / max(1, erlang:monotonic_time(microsecond) - T0), "round trips/s"};
run("handshake", Params) ->
    Peer = proplists:get_value(peer, Params),
    K = proplists:get_value(k, Params),
    Times = lists:sort([handshake(Peer) || _ <- lists:seq(1, K)]),
    {lists:nth(K div 2 + 1, Times), "us/handshake"}.

pingpong(_, 0) -> ok;
pingpong(Echo, N) ->
    Echo ! {self(), N},
    receive _ -> pingpong(Echo, N - 1) end.

handshake(Peer) ->
    T0 = erlang:monotonic_time(microsecond),
    true = net_kernel:connect_node(Peer),
    T = erlang:monotonic_time(microsecond) - T0,
    monitor_node(Peer, true),
    erlang:disconnect_node(Peer),
    receive {nodedown, Peer} -> ok end,
    T.
