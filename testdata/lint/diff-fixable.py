# lint --diff: every finding here has a mechanical fix.
import os

from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
AUTH_ROLES_SYNC_AT_LOGIN = True
AUTH_ROLES_MAPPING = {"airflow_admin": ["Admin"]}

OAUTH_PROVIDERS = [
    {
        "name": "azure",
        "icon": "fa-windows",
        "remote_app": {
            "client_id": os.environ.get("AZURE_CLIENT_ID"),
            "client_secret": os.environ.get("AZURE_CLIENT_SECRET"),
            "api_base_url": "https://login.microsoftonline.com/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/v2.0",
            "access_token_url": "https://login.microsoftonline.com/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/oauth2/v2.0/token",
            "authorize_url": "https://login.microsoftonline.com/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/oauth2/v2.0/authorize",
            "jwks_uri": "https://login.microsoftonline.com/common/discovery/v2.0/keys",
            "client_kwargs": {"scope": "email profile"},
        },
    },
    {
        "name": "keycloak",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "airflow",
            "client_secret": os.environ.get("KEYCLOAK_CLIENT_SECRET"),
            "api_base_url": "https://sso.example.com/realms/data/protocol/openid-connect/",
            "access_token_url": "https://sso.example.com/realms/data/protocol/openid-connect/token",
            "authorize_url": "https://sso.example.com/realms/data/protocol/openid-connect/auth",
            "client_kwargs": {"scope": "openid email profile"},
        },
    },
]
