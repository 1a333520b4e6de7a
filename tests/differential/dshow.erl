%% The oracle's printer: `label: term` lines, terms written as
%% tests/differential/prelude.py writes them (pids and refs abstract).
-module(dshow).
-export([out/2, fmt/1, flush/0]).

out(Label, Term) -> io:format("~s: ~s~n", [Label, fmt(Term)]).

fmt(T) when is_atom(T) -> atom_to_list(T);
fmt(T) when is_integer(T) -> integer_to_list(T);
fmt(T) when is_pid(T) -> "<pid>";
fmt(T) when is_reference(T) -> "<ref>";
fmt(T) when is_tuple(T) -> "{" ++ join([fmt(X) || X <- tuple_to_list(T)]) ++ "}";
fmt(T) when is_list(T) -> "[" ++ join([fmt(X) || X <- T]) ++ "]";
fmt(T) when is_map(T) ->
    "#{" ++ join(lists:sort([fmt(K) ++ " => " ++ fmt(V) || {K, V} <- maps:to_list(T)])) ++ "}".

join([]) -> "";
join([X]) -> X;
join([X | Rest]) -> X ++ "," ++ join(Rest).

%% Drop what is queued.
flush() -> receive _ -> flush() after 0 -> ok end.
