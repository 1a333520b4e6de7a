%% supervisor: significant children and auto_shutdown (OTP 24) with the
%% combinations it refuses, restarts by type and strategy, intensity, and
%% the child operations' answers.
-module(diff_supervisor).
-behaviour(supervisor).
-export([main/0, init/1, worker/1]).
-import(dshow, [out/2]).

init({Flags, Specs}) -> {ok, {Flags, Specs}}.

worker(_Id) ->
    {ok, spawn_link(fun() -> receive {exit, R} -> exit(R) end end)}.

spec(Id, Restart, Significant) ->
    #{id => Id, start => {?MODULE, worker, [Id]}, restart => Restart, significant => Significant}.
spec(Id, Restart) -> #{id => Id, start => {?MODULE, worker, [Id]}, restart => Restart}.

start(Flags, Specs) -> supervisor:start_link(?MODULE, {Flags, Specs}).

refused(Label, Flags, Specs) ->
    out(Label, case start(Flags, Specs) of {error, _} -> refused; {ok, _} -> started end),
    dshow:flush().

pid_of(Sup, Id) -> element(2, lists:keyfind(Id, 1, supervisor:which_children(Sup))).

stop_child(Sup, Id, Reason) ->
    Pid = pid_of(Sup, Id),
    M = monitor(process, Pid),
    Pid ! {exit, Reason},
    receive {'DOWN', M, _, _, _} -> ok end,
    timer:sleep(10).

exited(Sup) -> receive {'EXIT', Sup, R} -> R after 50 -> running end.

restarted(Strategy) ->
    {ok, S} = start(#{strategy => Strategy}, [spec(Id, permanent) || Id <- [a, b, c]]),
    Before = [pid_of(S, Id) || Id <- [a, b, c]],
    stop_child(S, b, boom),
    [pid_of(S, Id) =/= P || {Id, P} <- lists:zip([a, b, c], Before)].

main() ->
    process_flag(trap_exit, true),
    refused("auto_shutdown not a known one", #{auto_shutdown => sometimes}, []),
    refused("significant and permanent", #{auto_shutdown => any_significant}, [spec(a, permanent, true)]),
    refused("significant not a boolean", #{auto_shutdown => any_significant}, [spec(a, transient, yes)]),
    refused("significant under auto_shutdown never", #{}, [spec(a, transient, true)]),
    refused("not significant, permanent, any_significant", #{auto_shutdown => any_significant}, [spec(a, permanent, false)]),
    Three = [spec(a, transient, true), spec(b, temporary, true), spec(c, permanent, false)],
    {ok, S1} = start(#{auto_shutdown => any_significant}, Three),
    stop_child(S1, a, normal),
    out("any_significant: a transient one ends normally", exited(S1)),
    {ok, S2} = start(#{auto_shutdown => all_significant}, Three),
    stop_child(S2, a, normal),
    out("all_significant: one of two ends", {exited(S2), supervisor:count_children(S2)}),
    stop_child(S2, b, boom),
    out("all_significant: the other ends, abnormally", exited(S2)),
    {ok, S3} = start(#{auto_shutdown => any_significant, intensity => 5}, Three),
    stop_child(S3, a, crash),
    out("a significant transient one crashes: restarted", {exited(S3), supervisor:count_children(S3)}),
    ok = supervisor:terminate_child(S3, a),
    out("terminate_child of a significant one", {exited(S3), supervisor:count_children(S3)}),
    out("start_child: significant and permanent", element(1, supervisor:start_child(S3, spec(d, permanent, true)))),
    unlink(S3), exit(S3, kill),
    {ok, S4} = start(#{strategy => one_for_one, intensity => 3, period => 5}, [spec(p, permanent), spec(t, transient), spec(x, temporary)]),
    stop_child(S4, t, normal),
    stop_child(S4, x, boom),
    out("one_for_one: transient normal and temporary not restarted", supervisor:count_children(S4)),
    P0 = pid_of(S4, p),
    stop_child(S4, p, normal),
    out("permanent restarted after a normal exit", pid_of(S4, p) =/= P0),
    %% (in an order OTP does not document: sorted)
    out("which_children", lists:sort([{Id, is_pid(P), T} || {Id, P, T, _} <- supervisor:which_children(S4)])),
    out("restart_child of a running one", supervisor:restart_child(S4, p)),
    out("delete_child of a running one", supervisor:delete_child(S4, p)),
    out("terminate_child", supervisor:terminate_child(S4, p)),
    out("terminate_child of an unknown id", supervisor:terminate_child(S4, nobody)),
    out("restart_child", element(1, supervisor:restart_child(S4, p))),
    ok = supervisor:terminate_child(S4, p),
    out("delete_child", supervisor:delete_child(S4, p)),
    out("delete_child again", supervisor:delete_child(S4, p)),
    out("start_child", element(1, supervisor:start_child(S4, spec(n, permanent)))),
    out("start_child of a present id", element(1, element(2, supervisor:start_child(S4, spec(n, permanent))))),
    stop_child(S4, n, boom),
    stop_child(S4, n, boom),
    out("intensity 3: three restarts", exited(S4)),
    stop_child(S4, n, boom),
    out("intensity 3: the fourth gives up", exited(S4)),
    out("one_for_all restarts all", restarted(one_for_all)),
    out("rest_for_one restarts it and those after", restarted(rest_for_one)),
    ok.
