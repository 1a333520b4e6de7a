%% A gen_server callback module without handle_continue (diff_gen_server).
-module(dnocont).
-behaviour(gen_server).
-export([init/1, handle_call/3, handle_cast/2]).

init(C) -> {ok, 0, {continue, C}}.
handle_call(_, _, S) -> {reply, S, S}.
handle_cast(_, S) -> {noreply, S}.
