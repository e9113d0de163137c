# CFG020 fires: the token endpoint and the metadata are plain http to a Keycloak host.
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
            "access_token_url": "http://keycloak:8080/realms/data/protocol/openid-connect/token",
            "server_metadata_url": "http://keycloak:8080/realms/data/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid email profile"},
        },
    },
]
