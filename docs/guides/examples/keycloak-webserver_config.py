# webserver_config.py for Airflow 3 (FAB auth manager) signing in with
# Keycloak 17 or later (no /auth prefix). The realm URL is the public one,
# the same host the browser uses: the issuer Keycloak puts in tokens.
import os

from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
AUTH_ROLES_SYNC_AT_LOGIN = True
PERMANENT_SESSION_LIFETIME = 1800

REALM_URL = os.environ["KEYCLOAK_REALM_URL"]  # https://sso.example.com/realms/data

OAUTH_PROVIDERS = [
    {
        "name": "keycloak",
        "icon": "fa-key",
        "token_key": "access_token",
        "remote_app": {
            "client_id": os.environ["KEYCLOAK_CLIENT_ID"],
            "client_secret": os.environ["KEYCLOAK_CLIENT_SECRET"],
            "server_metadata_url": f"{REALM_URL}/.well-known/openid-configuration",
            # no trailing slash: FAB appends "openid-connect/userinfo" to .../protocol/
            "api_base_url": f"{REALM_URL}/protocol/openid-connect",
            "client_kwargs": {"scope": "openid email profile"},
            "request_token_url": None,
        },
    },
]

# FAB reads the "groups" claim of the userinfo answer: add a Group
# Membership mapper to the client (full group path off gives these names).
AUTH_ROLES_MAPPING = {
    "airflow-admins": ["Admin"],
    "airflow-ops": ["Op"],
}
