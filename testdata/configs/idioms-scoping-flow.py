# Scoping and control flow: what CPython does, statement by statement.
X = "global"


def read_global():
    return X


def shadow():
    X = "local"
    return X


def closure_counter():
    count = [0]

    def inc():
        count[0] += 1
        return count[0]

    inc()
    inc()
    return inc()


def defaults(a, b=[]):
    b.append(a)
    return b


FIRST = defaults(1)
SECOND = defaults(2)
READ = read_global()
SHADOWED = shadow()
AFTER_SHADOW = X
COUNTED = closure_counter()


class Config:
    X = "class attr"
    Y = X + "!"
    Z = [X for _ in range(2)]


CLASS_Y = Config.Y
CLASS_Z = Config.Z

RESULTS = []
for i in range(5):
    if i % 2:
        continue
    if i > 3:
        break
    RESULTS.append(i)
else:
    RESULTS.append("no break")

try:
    VALUE = {"a": 1}["b"]
except KeyError as err:
    VALUE = "missing " + str(err)
finally:
    CLEANUP = True

try:
    OK = int("12")
except ValueError:
    OK = -1
else:
    OK += 1

N = 0
while N < 0:
    N += 1
else:
    WHILE_ELSE = "ran"

LAMBDA = (lambda x, y=10: x * y)(3)
KW = (lambda **kw: sorted(kw.items()))(b=2, a=1)
STAR = (lambda *a: a)(1, *[2, 3])
MAPPED = list(map(lambda s: s.strip().lower(), [" A ", "B "]))
WALRUS = [(y := v * 2) for v in range(3)]
WALRUS_LAST = y
COMP_VAR_LEAK = [q for q in range(3)]
NAME_IN_COMP = "q" in dir() if False else False
SUM_GEN = sum(v for v in range(10) if v % 3 == 0)
NESTED_COMP = [[r * c for c in range(3)] for r in range(3)]
TERNARY_CHAIN = ["neg" if n < 0 else "zero" if n == 0 else "pos" for n in (-1, 0, 1)]
ASSERTED = True
assert ASSERTED, "never fails"
del ASSERTED
