# Okta, as in the Flask-AppBuilder security documentation.
import os
from flask_appbuilder.security.manager import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Public"
AUTH_ROLES_SYNC_AT_LOGIN = True
AUTH_ROLES_MAPPING = {
    "Everyone": ["Viewer"],
    "airflow-admins": ["Admin"],
}

OKTA_DOMAIN = os.environ.get("OKTA_DOMAIN", "dev-123456.okta.com")

OAUTH_PROVIDERS = [
    {
        "name": "okta",
        "icon": "fa-circle-o",
        "token_key": "access_token",
        "remote_app": {
            "client_id": os.environ.get("OKTA_CLIENT_ID", "0oa1b2c3d4e5f6g7h8i9"),
            "client_secret": os.environ.get("OKTA_CLIENT_SECRET", "change-me"),
            "api_base_url": "https://%s/oauth2/v1/" % OKTA_DOMAIN,
            "client_kwargs": {"scope": "openid profile email groups"},
            "access_token_url": "https://%s/oauth2/v1/token" % OKTA_DOMAIN,
            "authorize_url": "https://%s/oauth2/v1/authorize" % OKTA_DOMAIN,
            "server_metadata_url": f"https://{OKTA_DOMAIN}/.well-known/openid-configuration",
        },
    }
]
