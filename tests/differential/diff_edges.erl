%% Edges of erlang's processes: exit(self(), normal), a monitor of oneself,
%% demonitor after the DOWN, register of the dead, a linked process that
%% ends normally, selective receive and its order, receive timeouts.
-module(diff_edges).
-export([main/0]).
-import(dshow, [out/2]).

main() ->
    Self = self(),
    P = spawn(fun() -> exit(self(), normal), Self ! survived end),
    timer:sleep(20),
    out("exit(self(), normal) ends the caller", {is_process_alive(P), receive survived -> survived after 0 -> none end}),
    M = monitor(process, self()),
    out("a monitor of oneself never fires", receive X -> X after 10 -> none end),
    out("demonitor of it", demonitor(M)),
    D = spawn(fun() -> ok end),
    timer:sleep(5),
    M2 = monitor(process, D),
    receive {'DOWN', M2, _, _, _} -> ok end,
    out("demonitor after its DOWN", demonitor(M2, [flush])),
    out("register the dead", try register(deadname, D) of _ -> ok catch error:badarg -> badarg end),
    L = spawn_link(fun() -> ok end),
    timer:sleep(5),
    out("a linked process ending normally leaves us", {is_process_alive(L), is_process_alive(self())}),
    [self() ! N || N <- [1, {b, 2}, 3, {b, 4}, 5]],
    B1 = receive {b, X1} -> X1 end,
    B2 = receive {b, X2} -> X2 end,
    Rest = [receive Y -> Y end || _ <- [1, 2, 3]],
    out("selective receive keeps the others in order", {B1, B2, Rest}),
    self() ! a, self() ! b,
    out("receive with a pattern that nothing matches", receive c -> c after 10 -> timeout end),
    out("still queued", [receive Z -> Z end || _ <- [1, 2]]),
    erlang:send_after(30, self(), late),
    out("a receive timeout before the message", receive late -> late after 10 -> timeout end),
    out("then the message", receive late -> late after 100 -> timeout end),
    {Pid, Ref} = spawn_monitor(fun() -> receive after infinity -> ok end end),
    exit(Pid, some_reason),
    receive {'DOWN', Ref, _, _, R} -> out("exit signal with a reason to a non-trapping process", R) end,
    {Pid2, Ref2} = spawn_monitor(fun() -> process_flag(trap_exit, true), receive {'EXIT', _, normal} -> exit(got_normal) end end),
    timer:sleep(5),
    exit(Pid2, normal),
    receive {'DOWN', Ref2, _, _, R2} -> out("a trapping process gets exit normal as a message", R2) end,
    ok.
