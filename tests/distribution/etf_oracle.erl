%% The oracle for tests/distribution: OTP's own term_to_binary and binary_to_term.
%%
%%   erl -noshell -pa DIR -run etf_oracle main corpus -s init stop
%%       prints "Name Hex" per term of a corpus that covers every tag OTP 25
%%       sends over distribution (term_to_binary with minor_version 2, as
%%       distribution encodes: UTF-8 atoms, NEW_FLOAT_EXT)
%%   erl -noshell -pa DIR -run etf_oracle main normalize FILE -s init stop
%%       for each line of FILE (hex) prints the hex of what OTP encodes the
%%       decoded term as, or "badarg" when binary_to_term refuses it
-module(etf_oracle).
-export([main/1]).

main(["corpus"]) ->
    [io:format("~s ~s~n", [Name, binary:encode_hex(encode(Term))]) || {Name, Term} <- corpus()];
main(["normalize", File]) ->
    {ok, Text} = file:read_file(File),
    [io:format("~s~n", [normalize(binary:decode_hex(Line))])
     || Line <- binary:split(Text, <<"\n">>, [global, trim_all])].

encode(Term) ->
    term_to_binary(Term, [{minor_version, 2}]).

normalize(Bin) ->
    try binary:encode_hex(encode(binary_to_term(Bin)))
    catch error:badarg -> "badarg"
    end.

corpus() ->
    Y = 42,
    Port = hd(erlang:ports()),
    Pid = spawn(fun() -> ok end),
    Other = 'other@host',
    OtherPid = binary_to_term(<<131, 88, (encode_atom(Other))/binary,
                                16#7FFF:32, 16#1FFF:32, 16#ABCDEF01:32>>),
    OtherRef = binary_to_term(<<131, 90, 5:16, (encode_atom(Other))/binary, 16#ABCDEF01:32,
                                1:32, 2:32, 3:32, 4:32, 16#FFFFFFFF:32>>),
    WidePort = binary_to_term(<<131, 120, (encode_atom(Other))/binary, (1 bsl 40 + 7):64, 3:32>>),
    [{small_int_0, 0}, {small_int_255, 255}, {int_256, 256}, {int_neg_1, -1},
     {int_max, 2147483647}, {int_min, -2147483648},
     {big_2_31, 2147483648}, {big_neg_2_31_1, -2147483649},
     {big_2_64, 1 bsl 64}, {big_neg_2_64, -(1 bsl 64)},
     {small_big_255_bytes, (1 bsl 2040) - 1}, {large_big_256_bytes, 1 bsl 2040},
     {large_big_neg, -(1 bsl 3000) + 12345},
     {float_zero, 0.0}, {float_neg_zero, -0.0}, {float_1_5, 1.5}, {float_pi, math:pi()},
     {float_tenth, 0.1}, {float_neg_small, -2.5e-10}, {float_1e38, 1.0e38},
     {float_1e300, 1.0e300}, {float_subnormal, 5.0e-324},
     {atom_abc, abc}, {atom_empty, ''}, {atom_true, true}, {atom_false, false},
     {atom_undefined, undefined}, {atom_spaces, 'hello world'},
     {atom_latin1, list_to_atom([104, 233, 108, 108, 111])},
     {atom_cjk, list_to_atom([26085, 26412, 35486])},
     {atom_emoji, list_to_atom([128512])},
     {atom_255_ascii, list_to_atom(lists:duplicate(255, $a))},
     {atom_255_wide, list_to_atom(lists:duplicate(255, 233))},
     {tuple_empty, {}}, {tuple_1, {a}}, {tuple_mixed, {1, a, "s", <<"b">>}},
     {large_tuple_256, list_to_tuple(lists:seq(1, 256))},
     {large_tuple_1000, list_to_tuple(lists:duplicate(1000, x))},
     {nil, []}, {string_abc, "abc"}, {string_0_255, lists:seq(0, 255)},
     {string_latin1, [104, 233, 108, 108, 111]},
     {string_65535, lists:duplicate(65535, $x)},
     {list_65536, lists:duplicate(65536, $x)},
     {list_70000_ints, lists:seq(1, 70000)},
     {list_wide_chars, [104, 26085, 128512]}, {list_mixed, [1, 300, a, "x", -1]},
     {list_of_nil, [[]]}, {improper_atom, [a | b]}, {improper_ints, [1, 2 | 3]},
     {improper_map_tail, [1 | #{}]}, {improper_string_head, "ab" ++ c},
     {improper_binary_tail, [<<"a">> | <<"b">>]},
     {binary_empty, <<>>}, {binary_3, <<1, 2, 3>>}, {binary_text, <<"hello">>},
     {binary_300, binary:copy(<<"ab">>, 150)}, {binary_70000, binary:copy(<<7>>, 70000)},
     {bits_3, <<5:3>>}, {bits_20, <<1, 2, 3:4>>}, {bits_7, <<127:7>>}, {bits_1, <<0:1>>},
     {bits_15, <<1:15>>},
     {map_empty, #{}}, {map_1, #{a => 1}},
     {map_mixed, #{a => 1, b => [1, 2], 1 => 2.5, <<"k">> => {x}}},
     {map_40, maps:from_list([{N, N * N} || N <- lists:seq(1, 40)])},
     {map_nested, #{k => #{k2 => #{}}}}, {map_pid_key, #{self() => ok}},
     {pid_self, self()}, {pid_spawned, Pid}, {pid_other_node, OtherPid},
     {ref_make, make_ref()}, {ref_alias, alias()},
     {ref_monitor, erlang:monitor(process, self())}, {ref_other_node_5_words, OtherRef},
     {port_local, Port}, {port_v4, WidePort},
     {fun_closure, fun(X) -> X + Y end}, {fun_plain, fun(X) -> X end},
     {fun_closure_pid, fun() -> {Pid, Y} end},
     {export_local, fun ?MODULE:main/1}, {export_lists_map, fun lists:map/2},
     {export_self, fun erlang:self/0},
     {nested, {ok, [#{key => {1, "str", <<"bin">>}}], [a | b]}},
     {gen_call, {'$gen_call', {self(), [alias | make_ref()]}, {is_auth, 'a@b'}}},
     {reg_send_control, {6, self(), '', net_kernel}}, {send_control, {2, '', self()}},
     {deep_list_90, lists:foldl(fun(_, Acc) -> [Acc] end, [], lists:seq(1, 90))},
     {deep_tuple_99, lists:foldl(fun(_, Acc) -> {Acc} end, ok, lists:seq(1, 99))}].

encode_atom(Atom) ->
    <<131, Bin/binary>> = encode(Atom),
    Bin.
