# webserver_config.py of a non-production Airflow, as deployed when sign-in
# with Azure Entra ID broke (the founding incident, with a demo tenant).
import os

from airflow.www.fab_security.manager import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_ROLES_SYNC_AT_LOGIN = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"

TENANT_ID = os.environ.get("AZURE_TENANT_ID", "4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13")

OAUTH_PROVIDERS = [
    {
        "name": "azure",
        "icon": "fa-windows",
        "remote_app": {
            "client_id": os.environ.get("AZURE_CLIENT_ID", "8c3e5a71-2b9d-4f06-a1e4-6d7f0b2c9a58"),
            "client_secret": os.environ.get("AZURE_CLIENT_SECRET"),
            "api_base_url": f"https://login.microsoftonline.com/{TENANT_ID}/v2.0",
            "authorize_url": f"https://login.microsoftonline.com/{TENANT_ID}/oauth2/v2.0/authorize",
            "access_token_url": f"https://login.microsoftonline.com/{TENANT_ID}/oauth2/v2.0/token",
            "jwks_uri": "https://login.microsoftonline.com/common/discovery/v2.0/keys",
            "request_token_url": None,
        },
    }

AUTH_ROLES_MAPPING = {
    "airflow_nonprod_admin": ["Admin"],
    "airflow_nonprod_op": ["Op"],
    "airflow_nonprod_viewer": ["Viewer"],
}

PERMANENT_SESSION_LIFETIME = 1800
