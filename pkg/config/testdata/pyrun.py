"""Run config files like Flask's from_pyfile would and print every
JSON-representable module-level value (sets as sorted arrays, dict keys as
json.dumps converts them). Jobs come on stdin as a JSON list of
{"path": ..., "env": {...}}; each file runs with exactly that environment.
The result is a JSON object: path -> {"values", "other", "error"}."""
import json
import math
import os
import runpy
import sys
import traceback


class NotJSON(Exception):
    pass


def rank(v):
    if v is None:
        return 0
    if isinstance(v, (bool, int, float)):
        return 1
    if isinstance(v, str):
        return 2
    return 5


def conv(v, d=0):
    if d > 100:
        raise NotJSON
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            raise NotJSON
        return v
    if isinstance(v, (list, tuple)):
        return [conv(x, d + 1) for x in v]
    if isinstance(v, (set, frozenset)):
        items = [conv(x, d + 1) for x in v]
        return sorted(items, key=lambda x: (rank(x), x))
    if type(v) is dict:
        out = {}
        for k, x in v.items():
            if isinstance(k, str):
                ks = k
            elif k is True:
                ks = "true"
            elif k is False:
                ks = "false"
            elif k is None:
                ks = "null"
            elif isinstance(k, int):
                ks = str(k)
            elif isinstance(k, float):
                ks = repr(k)
            else:
                raise NotJSON
            out[ks] = conv(x, d + 1)
        return out
    raise NotJSON


def run(path):
    ns = runpy.run_path(path, run_name="config")
    values, other = {}, []
    for k, v in ns.items():
        if k.startswith("__") and k.endswith("__"):
            continue
        try:
            values[k] = conv(v)
        except (NotJSON, RecursionError, TypeError):
            other.append(k)
    return {"values": values, "other": other}


results = {}
for job in json.load(sys.stdin):
    os.environ.clear()
    os.environ.update(job["env"])
    try:
        results[job["path"]] = run(job["path"])
    except BaseException:
        results[job["path"]] = {"error": traceback.format_exc()}
json.dump(results, sys.stdout)
