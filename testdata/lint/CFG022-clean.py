# CFG022 clean: booleans converted from the environment.
import os

from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
AUTH_ROLES_SYNC_AT_LOGIN = True
AUTH_ROLES_MAPPING = {"/airflow-admins": ["Admin"], "/airflow-users": ["User"]}

WTF_CSRF_ENABLED = os.getenv("CSRF_ON", "True").lower() in ("true", "1", "yes")
AUTH_API_LOGIN_ALLOW_MULTIPLE_PROVIDERS = False

OAUTH_PROVIDERS = [
    {
        "name": "keycloak",
        "icon": "fa-key",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "airflow",
            "client_secret": os.environ.get("KEYCLOAK_CLIENT_SECRET"),
            "api_base_url": "https://sso.example.com/realms/data/protocol/",
            "server_metadata_url": "https://sso.example.com/realms/data/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid email profile"},
        },
    },
]
