# ISS003 fires at error: the common metadata's issuer is a template no
# token carries, and openid makes authlib compare it exactly.
import os

from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
AUTH_ROLES_MAPPING = {"airflow_admin": ["Admin"]}

OAUTH_PROVIDERS = [
    {
        "name": "azure",
        "token_key": "access_token",
        "remote_app": {
            "client_id": os.environ.get("AZURE_CLIENT_ID"),
            "client_secret": os.environ.get("AZURE_CLIENT_SECRET"),
            "api_base_url": "https://login.microsoftonline.com/common/oauth2",
            "server_metadata_url": "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid email profile"},
        },
    },
]
