# CFG023 fires: Flask-OAuthlib keys in remote_app (base_url, request_token_params) that authlib never reads.
import os

from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
AUTH_ROLES_SYNC_AT_LOGIN = True
AUTH_ROLES_MAPPING = {"/airflow-admins": ["Admin"], "/airflow-users": ["User"]}

OAUTH_PROVIDERS = [
    {
        "name": "keycloak",
        "icon": "fa-key",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "airflow",
            "client_secret": os.environ.get("KEYCLOAK_CLIENT_SECRET"),
            "api_base_url": "https://sso.example.com/realms/data/protocol/",
            "base_url": "https://sso.example.com/realms/data/protocol/",
            "request_token_params": {"scope": "openid email"},
            "server_metadata_url": "https://sso.example.com/realms/data/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid email profile"},
        },
    },
]
