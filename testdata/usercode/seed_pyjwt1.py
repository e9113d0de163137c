# The same security manager with the PyJWT 1 spelling verify=False,
# which PyJWT 2 does not honour (no algorithms: DecodeError).
import jwt
from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride
from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
AUTH_ROLES_MAPPING = {
    "5f2b7c1e-8d3a-4b6f-9e0c-1a2b3c4d5e6f": ["Op"],
    "9c8d7e6f-5a4b-4c3d-8e2f-1a0b9c8d7e6f": ["Admin"],
}
OAUTH_PROVIDERS = [
    {
        "name": "azure",
        "icon": "fa-windows",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "6731de76-14a6-49ae-97bc-6eba6914391e",
            "api_base_url": "https://login.microsoftonline.com/9a95fd9e-005d-487a-9a01-d08c1eab2757/oauth2/v2.0/",
            "server_metadata_url": "https://login.microsoftonline.com/9a95fd9e-005d-487a-9a01-d08c1eab2757/v2.0/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid email profile"},
        },
    }
]


class AzureCustomSecurity(FabAirflowSecurityManagerOverride):
    def get_oauth_user_info(self, provider, resp):
        if provider == "azure":
            me = jwt.decode(resp["id_token"], verify=False)
            return {"username": me["preferred_username"], "email": me.get("email", ""),
                    "role_keys": me.get("groups", [])}
        return super().get_oauth_user_info(provider, resp)


SECURITY_MANAGER_CLASS = AzureCustomSecurity
