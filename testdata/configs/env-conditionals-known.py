# Settings chosen by deployment environment (DEPLOY_ENV is set in the test env).
import os
from flask_appbuilder.const import AUTH_DB, AUTH_OAUTH

DEPLOY_ENV = os.environ.get("DEPLOY_ENV", "dev")

if DEPLOY_ENV == "prod":
    AUTH_TYPE = AUTH_OAUTH
    BASE_URL = "https://airflow.example.com"
    AUTH_ROLES_MAPPING = {"airflow_prod_admin": ["Admin"], "airflow_prod_viewer": ["Viewer"]}
elif DEPLOY_ENV in ("staging", "qa"):
    AUTH_TYPE = AUTH_OAUTH
    BASE_URL = f"https://airflow.{DEPLOY_ENV}.example.com"
    AUTH_ROLES_MAPPING = {"airflow_nonprod_admin": ["Admin"]}
else:
    AUTH_TYPE = AUTH_DB
    BASE_URL = "http://localhost:8080"
    AUTH_ROLES_MAPPING = {}

IS_PROD = DEPLOY_ENV == "prod"
LOG_LEVEL = "INFO" if IS_PROD else "DEBUG"
SESSION_COOKIE_SECURE = BASE_URL.startswith("https://")
REDIRECT = BASE_URL + ("/oauth-authorized/azure" if AUTH_TYPE == AUTH_OAUTH else "/login/")

if not IS_PROD:
    EXTRA = "never set in prod"

OAUTH_PROVIDERS = [
    {
        "name": "azure",
        "token_key": "access_token",
        "remote_app": {
            "client_id": os.environ["AZURE_CLIENT_ID"],
            "client_secret": os.environ["AZURE_CLIENT_SECRET"],
            "server_metadata_url": "https://login.microsoftonline.com/"
            + os.environ["AZURE_TENANT_ID"]
            + "/v2.0/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid email profile" + (" offline_access" if IS_PROD else "")},
            "redirect_uri": REDIRECT,
        },
    }
]
