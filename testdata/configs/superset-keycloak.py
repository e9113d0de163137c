# superset_config.py for Keycloak with the realm read from the environment.
import os
from flask_appbuilder.security.manager import AUTH_OAUTH

KEYCLOAK_BASE_URL = os.getenv("KEYCLOAK_BASE_URL", "https://keycloak.example.com")
KEYCLOAK_REALM = os.getenv("KEYCLOAK_REALM", "analytics")
OIDC_BASE = f"{KEYCLOAK_BASE_URL}/realms/{KEYCLOAK_REALM}/protocol/openid-connect"

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Gamma"
AUTH_ROLES_MAPPING = {"superset_admin": ["Admin"], "superset_alpha": ["Alpha"]}
AUTH_ROLES_SYNC_AT_LOGIN = True

OAUTH_PROVIDERS = [
    {
        "name": "keycloak",
        "icon": "fa-key",
        "token_key": "access_token",
        "remote_app": {
            "client_id": os.getenv("KEYCLOAK_CLIENT_ID", "superset"),
            "client_secret": os.getenv("KEYCLOAK_CLIENT_SECRET", ""),
            "api_base_url": OIDC_BASE,
            "client_kwargs": {"scope": "openid email profile roles"},
            "access_token_url": OIDC_BASE + "/token",
            "authorize_url": OIDC_BASE + "/auth",
            "server_metadata_url": f"{KEYCLOAK_BASE_URL}/realms/{KEYCLOAK_REALM}/.well-known/openid-configuration",
            "request_token_url": None,
        },
    }
]

ENABLE_PROXY_FIX = True
PROXY_FIX_CONFIG = {"x_for": 1, "x_proto": 1, "x_host": 1, "x_port": 0, "x_prefix": 1}
