# try/except/else/finally as config files use them.
# env: AIRFLOW_EXTRA=extra-value
import os

try:
    from airflow.www.fab_security.manager import AUTH_OAUTH
except ImportError:
    from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH

try:
    MISSING = os.environ["VARIABLE_THAT_IS_NOT_SET"]
except KeyError:
    MISSING = "fallback-from-except"

try:
    PRESENT = os.environ["AIRFLOW_EXTRA"]
except KeyError:
    PRESENT = "not used"
else:
    PRESENT = PRESENT.upper()
finally:
    FINALLY_RAN = True

try:
    VALUE = int("not a number")
except (TypeError, ValueError) as exc:
    VALUE = -1
    ERROR_TYPE = type(exc).__name__ if False else "ValueError"

try:
    RATIO = 1 / 0
except ZeroDivisionError:
    RATIO = 0.0

try:
    FIRST = [][0]
except LookupError:
    FIRST = None

try:
    NESTED_KEY = {"a": {}}["a"]["b"]
except Exception:
    NESTED_KEY = "caught by Exception"

try:
    try:
        INNER = {}["x"]
    except IndexError:
        INNER = "wrong handler"
except KeyError:
    INNER = "outer handler"

try:
    import json
    PARSED = json.loads('{"ok": true}')
except Exception:
    PARSED = {}
