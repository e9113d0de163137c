# Superset with a custom security manager that maps Azure groups to roles.
import os

from flask_appbuilder.security.manager import AUTH_OAUTH
from superset.security import SupersetSecurityManager


class CustomSsoSecurityManager(SupersetSecurityManager):
    ROLE_CLAIM = "groups"

    def oauth_user_info(self, provider, response=None):
        if provider == "azure":
            me = self._decode_and_validate_azure_jwt(response["id_token"])
            return {
                "name": me.get("name", ""),
                "email": me["upn"],
                "first_name": me.get("given_name", ""),
                "last_name": me.get("family_name", ""),
                "id": me["oid"],
                "username": me["oid"],
                "role_keys": me.get(self.ROLE_CLAIM, []),
            }
        return {}


CUSTOM_SECURITY_MANAGER = CustomSsoSecurityManager
SSO_ROLE_CLAIM = CustomSsoSecurityManager.ROLE_CLAIM

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Gamma"
AUTH_ROLES_SYNC_AT_LOGIN = True
AUTH_ROLES_MAPPING = {
    "5c1b4b8e-6e0c-4d4b-9f51-0a5e1c3f9a10": ["Admin"],
    "d3e4f5a6-1b2c-4d5e-8f90-a1b2c3d4e5f6": ["Alpha"],
    "0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f": ["Gamma"],
}

TENANT = os.environ["AZURE_TENANT_ID"]
OAUTH_PROVIDERS = [
    {
        "name": "azure",
        "icon": "fa-windows",
        "token_key": "access_token",
        "remote_app": {
            "client_id": os.environ["AZURE_CLIENT_ID"],
            "client_secret": os.environ["AZURE_CLIENT_SECRET"],
            "api_base_url": f"https://login.microsoftonline.com/{TENANT}/oauth2",
            "client_kwargs": {"scope": "User.read name preferred_username email profile upn", "resource": os.environ["AZURE_CLIENT_ID"]},
            "request_token_url": None,
            "access_token_url": f"https://login.microsoftonline.com/{TENANT}/oauth2/token",
            "authorize_url": f"https://login.microsoftonline.com/{TENANT}/oauth2/authorize",
        },
    }
]
SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]
