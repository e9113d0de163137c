# Decorators, boolean logic, conditional expressions, identity tests.
# env: FEATURE_FLAG=yes
import os


def register(fn):
    return fn


@register
def hook():
    return "hooked"


class Plugin:
    @property
    def name(self):
        return "plugin"


FLAG = os.environ.get("FEATURE_FLAG") == "yes"
BOTH = FLAG and "enabled"
EITHER = "" or None or 0 or "last"
FIRST_TRUTHY = 0 or [] or "x" or "y"
AND_CHAIN = 1 and "a" and [1] and "end"
AND_SHORT = 1 and 0 and "never"
NOT = not FLAG
IS_NONE = None is None
IS_NOT = FLAG is not None
TERNARY = "on" if FLAG else "off"
NESTED_TERNARY = "a" if not FLAG else "b" if len("xy") == 2 else "c"
OR_DEFAULT = os.getenv("UNSET_FOR_OR") or "default-value"
OR_KNOWN = os.getenv("FEATURE_FLAG") or "default-value"
GETENV_DEFAULT_NONE = os.getenv("UNSET_EXPLICIT_NONE", None)
IN_TUPLE = "b" in ("a", "b")
