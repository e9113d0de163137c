# Settings that depend on a variable the test environment does not set.
# expect-unresolved: AUTH_TYPE: depends on
# expect-unresolved: BASE_URL: depends on
# expect-unresolved: MODE: environment variable AIRFLOW_MODE is not set
# expect-unresolved: MAPPING_NAME: depends on
# expect-unresolved: AUTH_ROLES_MAPPING: depends on
import os
from flask_appbuilder.const import AUTH_DB, AUTH_OAUTH

MODE = os.environ.get("AIRFLOW_MODE")
AUTH_ROLES_MAPPING = {"admins": ["Admin"]}

if MODE == "sso":
    AUTH_TYPE = AUTH_OAUTH
    BASE_URL = "https://airflow.example.com"
    AUTH_ROLES_MAPPING["viewers"] = ["Viewer"]
else:
    AUTH_TYPE = AUTH_DB
    BASE_URL = "http://localhost:8080"

MAPPING_NAME = "sso" if AUTH_TYPE == AUTH_OAUTH else "db"
SCOPE = (MODE or "openid") + " email"
ALWAYS = "same in every branch"
if MODE:
    ALWAYS = "same in every branch"
