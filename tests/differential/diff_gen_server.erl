%% gen_server: calls, casts, infos, a later reply, timeouts, handle_continue
%% (from init and from callbacks, chained), hibernate (state kept), stop
%% and terminate, and the reasons of calls and stops that fail.
-module(diff_gen_server).
-behaviour(gen_server).
-export([main/0, init/1, handle_call/3, handle_cast/2, handle_info/2, handle_continue/2, terminate/2]).
-import(dshow, [out/2]).

init(plain) -> {ok, []};
init(continue) -> {ok, [init], {continue, first}};
init(hibernate) -> {ok, [init], hibernate};
init(timeout) -> {ok, [init], 20};
init(stop) -> {stop, no_way};
init(ignore) -> ignore.

handle_continue(first, S) -> {noreply, [first | S], {continue, second}};
handle_continue(second, S) -> {noreply, [second | S]};
handle_continue({reply_later, From}, S) -> gen_server:reply(From, later), {noreply, S};
handle_continue(stop, S) -> {stop, normal, S}.

handle_call(get, _From, S) -> {reply, S, S};
handle_call(later, From, S) -> {noreply, S, {continue, {reply_later, From}}};
handle_call(continue, _From, S) -> {reply, ok, S, {continue, first}};
handle_call(hibernate, _From, S) -> {reply, ok, [hibernated | S], hibernate};
handle_call(timeout, _From, S) -> {reply, ok, S, 10};
handle_call(slow, _From, S) -> timer:sleep(50), {reply, ok, S};
handle_call(stop, _From, S) -> {stop, done, stopped, S};
handle_call(crash, _From, _S) -> error(crashed).

handle_cast({push, X}, S) -> {noreply, [X | S]};
handle_cast(hibernate, S) -> {noreply, S, hibernate};
handle_cast(stop_after_continue, S) -> {noreply, S, {continue, stop}}.

handle_info(timeout, S) -> {noreply, [timeout | S]};
handle_info(Other, S) -> {noreply, [{info, Other} | S]}.

terminate(Reason, _S) -> out("terminate", Reason).

main() ->
    {ok, P} = gen_server:start(?MODULE, continue, []),
    out("continue from init, chained, before any call", gen_server:call(P, get)),
    out("call that continues", gen_server:call(P, continue)),
    out("then", gen_server:call(P, get)),
    out("reply from handle_continue", gen_server:call(P, later)),
    gen_server:cast(P, {push, cast}),
    P ! hello,
    out("casts and infos in order", gen_server:call(P, get)),
    out("hibernate keeps the state", {gen_server:call(P, hibernate), gen_server:call(P, get)}),
    gen_server:cast(P, hibernate),
    gen_server:cast(P, {push, woken}),
    out("a cast wakes it", gen_server:call(P, get)),
    out("timeout from a call", gen_server:call(P, timeout)),
    timer:sleep(40),
    out("then", hd(gen_server:call(P, get))),
    out("stop", gen_server:stop(P)),
    out("stop a dead pid", catch gen_server:stop(P)),
    out("stop a name nobody holds", catch gen_server:stop(nobody)),
    out("call a dead pid", element(1, element(2, catch gen_server:call(P, get)))),
    %% (ours names the call's arguments as a tuple, with the timeout always)
    {'EXIT', {Why, {Mod, Fun, _}}} = (catch gen_server:call(nobody, get)),
    out("call a name nobody holds", {Why, Mod, Fun}),
    out("cast to a name nobody holds", gen_server:cast(nobody, hi)),
    {ok, H} = gen_server:start(?MODULE, hibernate, []),
    out("hibernate from init", gen_server:call(H, get)),
    {ok, T} = gen_server:start(?MODULE, timeout, []),
    timer:sleep(40),
    out("timeout from init", gen_server:call(T, get)),
    out("init stops", gen_server:start(?MODULE, stop, [])),
    out("init ignores", gen_server:start(?MODULE, ignore, [])),
    {ok, N} = gen_server:start({local, named_server}, ?MODULE, plain, []),
    out("start a taken name", element(1, element(2, gen_server:start({local, named_server}, ?MODULE, plain, [])))),
    out("call by name", gen_server:call(named_server, get)),
    out("call timeout", element(1, element(2, catch gen_server:call(N, slow, 10)))),
    timer:sleep(60),
    out("stop with a reply", gen_server:call(N, stop)),
    timer:sleep(5),
    {ok, C} = gen_server:start(?MODULE, plain, []),
    gen_server:cast(C, stop_after_continue),
    M = monitor(process, C),
    receive {'DOWN', M, _, _, R} -> out("stop from handle_continue", R) end,
    process_flag(trap_exit, true),
    {ok, U} = gen_server:start_link(dnocont, c, []),
    receive
        {'EXIT', U, {UWhy, [{_, UF, UA, _} | _]}} -> out("no handle_continue", {UWhy, UF, UA})
    after 1000 -> out("no handle_continue", none)
    end,
    ok.
