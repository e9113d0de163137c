# CFG006 fires: SECRET_KEY falls back to a literal default whenever the
# variable is unset, and the LDAP password and client secret are
# placeholders (info: the deployment must replace them).
import os

from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
SECRET_KEY = os.getenv("SECRET_KEY", "secret_key")
AUTH_LDAP_BIND_PASSWORD = "${LDAP_PASSWORD}"
MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or "mailpass"

OAUTH_PROVIDERS = [
    {
        "name": "keycloak",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "airflow",
            "client_secret": "<client-secret>",
            "server_metadata_url": "https://sso.example.com/realms/data/.well-known/openid-configuration",
            "api_base_url": "https://sso.example.com/realms/data/protocol/",
            "client_kwargs": {"scope": "openid email profile"},
        },
    },
]
