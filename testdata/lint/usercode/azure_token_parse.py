# The Superset docs' old example: a security manager that decodes the
# Azure id_token with FAB's private helper _azure_jwt_token_parse, which
# Flask-AppBuilder 4.3.8 removed.
import logging
import os

from flask_appbuilder.security.manager import AUTH_OAUTH
from superset.security import SupersetSecurityManager

log = logging.getLogger(__name__)


class CustomSsoSecurityManager(SupersetSecurityManager):
    def get_oauth_user_info(self, provider, resp):
        if provider == "azure":
            me = self._azure_jwt_token_parse(resp["id_token"])
            return {"email": me.get("email", ""), "username": me["oid"], "role_keys": me.get("roles", [])}
        return {}


CUSTOM_SECURITY_MANAGER = CustomSsoSecurityManager
AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Gamma"
OAUTH_PROVIDERS = [
    {
        "name": "azure",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "6731de76-14a6-49ae-97bc-6eba6914391e",
            "client_secret": os.environ.get("AZURE_CLIENT_SECRET"),
            "api_base_url": "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/oauth2",
            "server_metadata_url": "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid email profile"},
        },
    }
]
