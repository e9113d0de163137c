# Container literals and the ways config files mutate them.
BASE_PROVIDER = {"name": "azure", "icon": "fa-windows", "token_key": "access_token"}
REMOTE_APP = dict(client_id="abc", client_secret="def")
REMOTE_APP.update({"api_base_url": "https://graph.microsoft.com/"}, )
REMOTE_APP.update(request_token_url=None)
PROVIDER = {**BASE_PROVIDER, "remote_app": REMOTE_APP}
PROVIDER2 = dict(BASE_PROVIDER, name="azure-b", remote_app=dict(REMOTE_APP))
MERGED = BASE_PROVIDER | {"icon": "fa-microsoft"}
OAUTH_PROVIDERS = []
OAUTH_PROVIDERS.append(PROVIDER)
OAUTH_PROVIDERS.extend([PROVIDER2])
OAUTH_PROVIDERS.insert(0, {"name": "google"})
OAUTH_PROVIDERS[0]["token_key"] = "access_token"
OAUTH_PROVIDERS[1]["remote_app"]["client_kwargs"] = {"scope": "openid"}
AUTH_ROLES_MAPPING = {}
AUTH_ROLES_MAPPING["admins"] = ["Admin"]
AUTH_ROLES_MAPPING.setdefault("viewers", []).append("Viewer")
AUTH_ROLES_MAPPING.setdefault("viewers", ["ignored"]).append("Public")
AUTH_ROLES_MAPPING |= {"ops": ["Op"]}
ROLES = ["Viewer"]
ROLES += ["User"]
ROLES += ("Op",)
ROLES *= 1
COUNT = 1
COUNT += 2
COUNT -= 1
COUNT *= 10
COUNT //= 3
COUNT **= 2
COUNT %= 7
FLAGS = 0b0001
FLAGS |= 0b0100
FLAGS &= 0b0101
FLAGS ^= 0b0001
FLAGS <<= 2
FLAGS >>= 1
TAGS = {"b", "a"}
TAGS.add("c")
TAGS |= {"d"}
TAGS.discard("a")
A = B = C = "chained"
X, Y = 1, 2
X, Y = Y, X
(P, Q), R = (1, 2), 3
FIRST, *REST = [1, 2, 3, 4]
*INIT, LAST = "abc"
[L1, L2] = ["l1", "l2"]
TYPED: str = "annotated"
UNTYPED_ONLY: int
NESTED = {"a": {"b": {"c": [1, 2, {"d": "deep"}]}}}
DEEP = NESTED["a"]["b"]["c"][2]["d"]
POPPED = NESTED["a"]["b"]["c"].pop()
TO_DELETE = {"keep": 1, "drop": 2}
del TO_DELETE["drop"]
TEMP = 1
del TEMP
LST = [5, 3, 1, 4]
LST.sort()
LST.reverse()
LST.remove(4)
LST[0] = 50
LST[1:2] = [30, 31]
COPY = LST.copy()
EMPTY_TUPLE = ()
SINGLE = ("one",)
FROZEN = frozenset({3, 1, 2})
KEYS = list(PROVIDER.keys())
ITEMS = sorted(REMOTE_APP.items())
GET = PROVIDER.get("missing", "default")
GET_NONE = PROVIDER.get("missing")
TUPLE_KEYS = {("a", 1): "tuple key"}
INT_KEYS = {1: "one", 2: "two"}
MIXED_KEYS = {True: "bool", None: "none", 1.5: "float"}
