# Work and memory bombs. Each must be cut short with an unresolved value.
import os

HUGE_STRING = "a" * 10 ** 12
HUGE_LIST = [0] * 10 ** 9
HUGE_INT = 10 ** 10 ** 10
HUGE_SHIFT = 1 << 10 ** 9
HUGE_RANGE = list(range(10 ** 12))
COMPREHENSION = [x for x in range(10 ** 8)]
NESTED_LOOP = [a * b for a in range(100000) for b in range(100000)]
L = [0] * 100000
ALIASED = [L] * 100000
REPR_BOMB = str(ALIASED)
JSON_BOMB = __import__("json").dumps(ALIASED)

COUNT = 0
for i in range(10 ** 9):
    COUNT += 1

while True:
    pass

x = 0
while 1:
    x += 1


def recurse(n):
    return recurse(n + 1)


RECURSED = recurse(0)


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


FIB = fib(40)

AFTER_ALL = "still read"
