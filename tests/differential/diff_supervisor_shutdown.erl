%% supervisor: the order children start and stop in (start order; stop in
%% reverse, also for one_for_all and rest_for_one restarts), shutdown by
%% timeout and brutal_kill, and simple_one_for_one children.
-module(diff_supervisor_shutdown).
-behaviour(supervisor).
-export([main/0, init/1, worker/2, stubborn/1]).
-import(dshow, [out/2]).

init({Flags, Specs}) -> {ok, {Flags, Specs}}.

%% Tells `Log` when it starts and when it is shut down.
worker(Log, Id) ->
    {ok, spawn_link(fun() ->
        process_flag(trap_exit, true),
        Log ! {started, Id},
        receive
            {'EXIT', _, shutdown} -> Log ! {stopped, Id};
            {crash, R} -> exit(R)
        end
    end)}.

%% Ignores shutdown: only a kill ends it.
stubborn(Log) ->
    {ok, spawn_link(fun() -> process_flag(trap_exit, true), Log ! {started, stubborn}, loop() end)}.
loop() -> receive _ -> loop() end.

spec(Log, Id) -> #{id => Id, start => {?MODULE, worker, [Log, Id]}}.

log() -> receive {E, Id} -> [{E, Id} | log()] after 20 -> [] end.

pid_of(Sup, Id) -> element(2, lists:keyfind(Id, 1, supervisor:which_children(Sup))).

main() ->
    process_flag(trap_exit, true),
    Me = self(),
    {ok, S1} = supervisor:start_link(?MODULE, {#{}, [spec(Me, a), spec(Me, b), spec(Me, c)]}),
    out("start order", log()),
    unlink(S1),
    M1 = monitor(process, S1),
    exit(S1, shutdown),
    receive {'DOWN', M1, _, _, R1} -> out("supervisor shut down", R1) end,
    out("stop order", log()),
    {ok, S2} = supervisor:start_link(?MODULE, {#{strategy => one_for_all}, [spec(Me, a), spec(Me, b), spec(Me, c)]}),
    log(),
    pid_of(S2, b) ! {crash, boom},
    out("one_for_all restart", log()),
    {ok, S3} = supervisor:start_link(?MODULE, {#{strategy => rest_for_one}, [spec(Me, a), spec(Me, b), spec(Me, c)]}),
    log(),
    pid_of(S3, b) ! {crash, boom},
    out("rest_for_one restart", log()),
    {ok, S4} = supervisor:start_link(?MODULE, {#{}, [
        #{id => stubborn, start => {?MODULE, stubborn, [Me]}, shutdown => 30},
        #{id => brutal, start => {?MODULE, stubborn, [Me]}, shutdown => brutal_kill}]}),
    log(),
    P1 = pid_of(S4, stubborn),
    MP = monitor(process, P1),
    ok = supervisor:terminate_child(S4, stubborn),
    receive {'DOWN', MP, _, _, RP} -> out("shutdown by timeout: killed", RP) end,
    P2 = pid_of(S4, brutal),
    MB = monitor(process, P2),
    ok = supervisor:terminate_child(S4, brutal),
    receive {'DOWN', MB, _, _, RB} -> out("brutal_kill", RB) end,
    {ok, S5} = supervisor:start_link(?MODULE, {#{strategy => simple_one_for_one},
        [#{id => t, start => {?MODULE, worker, [Me]}, restart => transient}]}),
    {ok, C1} = supervisor:start_child(S5, [one]),
    {ok, C2} = supervisor:start_child(S5, [two]),
    out("simple_one_for_one children", {log(), supervisor:count_children(S5)}),
    C1 ! {crash, boom},
    out("restarted with the same args", log()),
    out("which_children ids", [Id || {Id, _, _, _} <- supervisor:which_children(S5)]),
    out("terminate_child by pid", {supervisor:terminate_child(S5, C2), log()}),
    out("restart_child", supervisor:restart_child(S5, one)),
    out("delete_child", supervisor:delete_child(S5, one)),
    out("terminate_child of a stranger", supervisor:terminate_child(S5, self())),
    ok.
