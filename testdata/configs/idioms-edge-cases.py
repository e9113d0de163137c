# Edge cases of Python semantics the reader must get exactly right.
SPLITS = ["  a  b ".split(" "), "a,b,".split(","), "".split(), "a".split("a"), " x y ".rsplit(None, 1), "a b c".split(None, 1)]
CASES = ["hello world2you".title(), "hELLO".capitalize(), "straße".upper(), "ǅ".lower(), "MiXeD".casefold()]
CENTER = ["abc".center(6, "*"), "ab".center(5, "-"), "abcd".center(7), "x".center(4, "+")]
FORMATS = [
    "{:>10.3}".format("abcdef"), "{:08.3f}".format(-3.14159), f"{-0.0}", f"{1e-7:f}", "%5.2s|" % "abc",
    "%c" % 65, "%-5s|" % "ab", "%+d" % 5, "%.0f" % 2.5, "%.0f" % 3.5, f"{2.5:.0f}", f"{0.5:.0%}",
    "%s" % (1,), "%s" % [1, 2], "%r" % {"a": (1, 2.0)}, "{0!r:>8}".format("q"), format(1234.5678, ",.1f"),
    format(255, "08b"), format(-255, "x"), "{:=+8d}".format(42), "{:^+9.2e}".format(12345.678),
]
NUMBERS = [
    str(1.0), str(10 ** 20 * 1.0), str(0.1 * 3), repr(123456789012345678.0), divmod(-7, 2), -7 % -2, 7 % -2,
    7.5 // 2, -7.5 // 2, int(-7 / 2), round(-2.5), round(0.125, 2), round(2.675, 2), True + 1, "a" * True,
    2 ** 0.5, 10 / 4, 9 // 4.0, abs(-0.0), int("101", 2), int("0o17", 0), float("1_000.5"), 1e308 * 10 == float("inf"),
    0.1 + 0.2 == 0.3, 1 < 2.5 < 3, (1, 2) < (1, 3), [1, 2] == [1, 2.0], "a" < "B",
]
SLICES = [[1, 2, 3, 4, 5][::-2], [1, 2, 3][5:], "abc"[-5:], "abcdef"[1:-1:2], [0, 1, 2, 3][-3:-1], "hello"[::-1][1:3]]
ORDER = {"b": 1, "a": 2}
ORDER.update({"b": 3, "c": 4})
MERGED = {**ORDER, "a": 0, "z": 1}
UNION = {"x": 1} | {"y": 2, "x": 3}
SORTS = [sorted([3, 1.5, 2]), sorted(["b", "A", "a", "é"]), max("abc", "abd"), min([[2], [1, 5]]), sorted({"k2": 1, "k1": 2})]
ALIAS = [1]
OTHER = ALIAS
OTHER.append(2)
A, B = 1, 2
A, B = B, A
NESTED_F = f"{'x':{'>'}{5}}|{3.14159:.{1 + 1}f}|{'ab'!r:^8}"
TRUTHY = [bool("0"), bool(0.0), bool(()), bool(" "), not [], [] or {} or 0, 1 and [] and 2]
STRS = ["a\tb".expandtabs(4), "x".join("abc"), "ab" in "cab", "a,b".partition(";"), "A1b2".isalnum(), "".isupper(), "Ab".istitle()]
UNPACK = [(a, b) for a, *b in [(1, 2, 3), (4,)]]
DICT_COMP = {k: v for k, v in [("a", 1), ("b", 2), ("a", 3)]}
CHAIN = 1 if 0 else 2 if None else 3
NEG_ZERO = -0.0
BIG = 2 ** 64 - 1
BIG_NEG = -(2 ** 70) // 3
HEX_NEG = hex(-255)
JSON_FLOATS = __import__("json").dumps([1.0, 1e16, 0.1, 2.5e-05, 100.0]) if False else "not evaluated"
