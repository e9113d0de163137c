# A security manager imported from a package that is not beside the
# config: it is found only with --path lib.
import os

from flask_appbuilder.const import AUTH_OAUTH

from corp.security import CorpSecurityManager

SECURITY_MANAGER_CLASS = CorpSecurityManager

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
AUTH_ROLES_SYNC_AT_LOGIN = True
# group object ids: the built-in azure branch compares them with the
# roles claim (ROL004), the override reads groups
AUTH_ROLES_MAPPING = {
    "3f2a1c4e-8b7d-4e6f-9a0b-1c2d3e4f5a6b": ["Admin"],
    "7e8f9a0b-1c2d-4e3f-8a5b-6c7d8e9f0a1b": ["Viewer"],
}

OAUTH_PROVIDERS = [
    {
        "name": "azure",
        "icon": "fa-windows",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "6731de76-14a6-49ae-97bc-6eba6914391e",
            "client_secret": os.environ.get("AZURE_CLIENT_SECRET"),
            "api_base_url": "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/oauth2",
            "server_metadata_url": "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid email profile"},
        },
    },
]
