# json.loads of known strings and timedelta session lifetimes.
# env: ROLE_MAPPING_JSON={"grp-admins": ["Admin"], "grp-viewers": ["Viewer", "User"]}
import datetime
import json
import os
from datetime import timedelta

AUTH_ROLES_MAPPING = json.loads(os.environ["ROLE_MAPPING_JSON"])
EXTRA = json.loads('{"a": [1, 2.5, null, true], "b": {"nested": "x"}, "big": 12345678901234567890}')
SCOPES = json.loads("[\"openid\", \"email\"]")
DUMPED = json.dumps({"b": 1, "a": [True, None]})
DUMPED_SORTED = json.dumps({"b": 1, "a": "é"}, sort_keys=True)
DUMPED_INDENT = json.dumps({"k": [1, 2]}, indent=2)
PERMANENT_SESSION_LIFETIME = timedelta(minutes=30)
REMEMBER = datetime.timedelta(days=7, hours=12)
LIFETIME_SECONDS = int(PERMANENT_SESSION_LIFETIME.total_seconds())
LIFETIME_DAYS = REMEMBER.days
DOUBLE = PERMANENT_SESSION_LIFETIME * 2
SESSION_LIFETIME_STR = str(timedelta(hours=1, minutes=5))
