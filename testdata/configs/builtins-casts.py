# Built-in conversions as used to parse environment variables.
# env: RATE_LIMITED=False
# env: SESSION_MINUTES=45
# env: ADMIN_EMAILS=a@example.com;b@example.com
import os
from distutils.util import strtobool

AUTH_RATE_LIMITED = bool(strtobool(os.environ.get("RATE_LIMITED", "true")))
AUTH_RATE_LIMIT = "%d per %d second" % (5, 40)
SESSION_MINUTES = int(os.environ["SESSION_MINUTES"])
PERMANENT_SESSION_LIFETIME = SESSION_MINUTES * 60
TIMEOUT = float("2.5")
AS_STR = str(42) + str(True) + str(None) + str(1.5) + str([1, "a"]) + str({"k": (1,)})
AS_BOOL = [bool(""), bool("x"), bool(0), bool([]), bool({}), bool(None), bool(0.0)]
AS_LIST = list((1, 2))
AS_TUPLE = tuple([1, 2])
AS_SET = sorted(set([3, 1, 3]))
LEN = len({"a": 1, "b": 2})
ADMINS = os.environ["ADMIN_EMAILS"].split(";")
ADMIN_COUNT = len(ADMINS)
IS_LIST = isinstance(ADMINS, list)
IS_STR_OR_INT = isinstance(5, (str, int))
REPR = repr("it's") + repr(['a', "b'c"]) + repr(1.0) + repr(None)
CHR_ORD = (chr(65), ord("a"))
MAX_KEY = max(["bb", "a", "ccc"])
