# Comprehensions and builtins over known values.
GROUPS = ["airflow_admin", "airflow_op", "airflow_viewer", "other"]
ROLE_FOR = {"admin": "Admin", "op": "Op", "viewer": "Viewer"}

AUTH_ROLES_MAPPING = {g: [ROLE_FOR[g.split("_")[1]]] for g in GROUPS if g.startswith("airflow_")}
UPPER = [g.upper() for g in GROUPS]
NESTED = [(i, j) for i in range(3) for j in range(i)]
SETCOMP = {len(g) for g in GROUPS}
GEN_SUM = sum(len(g) for g in GROUPS)
ANY_ADMIN = any("admin" in g for g in GROUPS)
ALL_LOWER = all(g.islower() for g in GROUPS)
ENUM = [f"{i}:{g}" for i, g in enumerate(GROUPS, start=1)]
ZIPPED = dict(zip(["a", "b", "c"], [1, 2, 3]))
SORTED = sorted(GROUPS, reverse=True)
SORTED_KEY = sorted(GROUPS, key=len)
SORTED_LAMBDA = sorted(GROUPS, key=lambda g: g[-1])
LENGTHS = list(map(len, GROUPS))
FILTERED = list(filter(None, ["", "x", None, "y"]))
REVERSED = list(reversed(GROUPS))
RANGE_LIST = list(range(10, 0, -3))
DICT_FROM_PAIRS = dict([("k1", "v1"), ("k2", "v2")])
INVERTED = {v: k for k, v in ROLE_FOR.items()}
UNPACK_COMP = [a + b for a, b in [(1, 2), (3, 4)]]
TUPLE_FROM = tuple(x * x for x in range(4))
SET_FROM = set("hello")
LIST_FROM_STR = list("abc")
COUNT = len(AUTH_ROLES_MAPPING)
CONTAINS = "airflow_op" in AUTH_ROLES_MAPPING
NOT_CONTAINS = "other" not in AUTH_ROLES_MAPPING
FROM_KEYS = dict.fromkeys(["a", "b"], 0)
WALRUS = [y for x in range(5) if (y := x * 2) > 4]
STR_METHODS = [
    "  padded  ".strip(), "xxhixx".strip("x"), "a,b,,c".split(","), "a b  c".split(),
    "k=v=w".split("=", 1), "a.b.c".rsplit(".", 1), "Title case words".title(),
    "hello".capitalize(), "MiXeD".swapcase(), "abc".find("c"), "abc".find("z"),
    "banana".count("a"), "prefix-name".removeprefix("prefix-"), "name.py".removesuffix(".py"),
    "42".zfill(5), "x".center(5, "*"), "x".ljust(3, "."), "x".rjust(3), "123".isdigit(),
    "abc".isalpha(), "ABC".isupper(), "key=value".partition("="), "a/b/c".rpartition("/"),
    "l1\nl2\r\nl3".splitlines(), "a-b".replace("-", "_"), "aaa".replace("a", "b", 2),
    "x".startswith(("y", "x")), "file.yaml".endswith(".yml"), "é".encode().decode(),
]
