# The provider name comes from another module: the reader cannot see it.
import os

from flask_appbuilder.const import AUTH_OAUTH

from company_sso import PROVIDER_NAME

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
OAUTH_PROVIDERS = [
    {
        "name": PROVIDER_NAME,
        "token_key": "access_token",
        "remote_app": {
            "client_id": "airflow",
            "client_secret": os.environ.get("OAUTH_SECRET"),
            "server_metadata_url": "https://sso.example.com/.well-known/openid-configuration",
            "api_base_url": "https://sso.example.com/",
            "client_kwargs": {"scope": "openid email profile"},
        },
    },
]
