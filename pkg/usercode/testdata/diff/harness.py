"""Runs each differential case's user code under CPython with the real
PyJWT 2, with only FAB's base classes stubbed (stubs/fabstub.py), and
prints what the login gives: the user-info, the outcome, the roles, the
exception and the line that raised, or the line that reached outside.

    AUTHDOCTOR_DIFF_FLAVOR=airflow-3 python3 harness.py < jobs.json > results.json

jobs.json: [{"id", "dir", "main", "setting", "provider", "resp", "userinfo"}].
Nothing here reaches the network: sockets raise fabstub.OutsideWorld.
"""
import importlib
import json
import os
import socket
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "stubs"))
import fabstub  # noqa: E402


def _outside(*a, **kw):
    raise fabstub.OutsideWorld("network")


# A dry-run never reaches the network: name resolution and connections
# stop at once.
socket.getaddrinfo = _outside
socket.create_connection = _outside
socket.socket.connect = _outside


def where(tb, case_dir):
    """The last frame of the traceback in the case's own files."""
    found = None
    for fr in traceback.extract_tb(tb):
        if os.path.abspath(fr.filename).startswith(case_dir + os.sep):
            found = fr
    if found is None:
        return None, 0
    return os.path.basename(found.filename), found.lineno


def load(job):
    """Imports the case's config afresh (the modules of earlier cases are
    forgotten), with the case's directory first on sys.path."""
    case_dir = os.path.abspath(job["dir"])
    root = os.path.abspath(job["root"])
    for name in list(sys.modules):
        f = getattr(sys.modules[name], "__file__", None) or ""
        if f and os.path.abspath(f).startswith(root + os.sep):
            del sys.modules[name]
    sys.path[:] = [p for p in sys.path if not os.path.abspath(p).startswith(root + os.sep)]
    sys.path.insert(0, case_dir)
    return case_dir, importlib.import_module(job["main"])


def manager_class(mod, setting):
    """The class the setting installs: a class, a dotted string (FAB), or
    FAB's own when unset."""
    v = getattr(mod, setting, None)
    if isinstance(v, str):
        m, _, c = v.rpartition(".")
        return getattr(importlib.import_module(m), c)
    if v is None:
        return fabstub.BaseSecurityManager
    return v


def run(job):
    out = {"id": job["id"]}
    fabstub.STATE.update(userinfo=job.get("userinfo"), answered=None, getters=[])
    case_dir = os.path.abspath(job["dir"])
    try:
        case_dir, mod = load(job)
        cls = manager_class(mod, job["setting"])
        config = fabstub.Config({k: getattr(mod, k) for k in dir(mod) if k.isupper()})
        sm = cls(fabstub.AppBuilder(fabstub.App(config)))
        for f in fabstub.STATE["getters"]:
            sm.oauth_user_info_getter(f)
    except BaseException as e:  # the app does not start
        out.update(outcome="start-failed", error="%s: %s" % (type(e).__name__, e))
        return out
    resp = job["resp"]
    try:
        userinfo = sm.oauth_user_info(job["provider"], resp)
    except fabstub.OutsideWorld:
        _, out["unknown_line"] = where(sys.exc_info()[2], case_dir)
        out["outcome"] = "unknown"
        return out
    except Exception as e:
        out["outcome"] = "refused"
        out["exception"] = exception(e, case_dir)
        return out
    out["userinfo"] = plain(userinfo)
    try:
        user = sm.auth_user_oauth(userinfo)
    except fabstub.OutsideWorld:
        _, out["unknown_line"] = where(sys.exc_info()[2], case_dir)
        out["outcome"] = "unknown"
        return out
    except Exception as e:
        out["outcome"] = "refused"
        out["exception"] = exception(e, case_dir)
        return out
    if user is None:
        out["outcome"] = "refused"
        return out
    roles = sorted({r.name for r in user.roles if r is not None})
    out["roles"] = roles
    out["outcome"] = "granted" if [r for r in roles if r != "Public"] else "no-access"
    return out


def exception(e, case_dir):
    _, line = where(e.__traceback__, case_dir)
    mod = type(e).__module__
    return {"type": type(e).__name__, "module": "" if mod == "builtins" else mod, "message": str(e), "line": line}


def plain(v):
    return json.loads(json.dumps(v, default=repr))


def main():
    jobs = json.load(sys.stdin)
    json.dump([run(j) for j in jobs], sys.stdout, indent=1)


if __name__ == "__main__":
    main()
