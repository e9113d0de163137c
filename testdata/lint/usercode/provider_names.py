# The user-info code branches on "Azure" (the provider is "azure") and on
# "okta" (no such provider): neither branch ever runs.
import jwt
from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride
from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
OAUTH_PROVIDERS = [
    {
        "name": "azure",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "6731de76-14a6-49ae-97bc-6eba6914391e",
            "server_metadata_url": "https://login.microsoftonline.com/9a95fd9e-005d-487a-9a01-d08c1eab2757/v2.0/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid email profile"},
        },
    }
]


class NamesSecurityManager(FabAirflowSecurityManagerOverride):
    def get_oauth_user_info(self, provider, resp):
        if provider == "Azure":
            me = jwt.decode(resp["id_token"], options={"verify_signature": False})
            return {"username": me["preferred_username"], "role_keys": me.get("groups", [])}
        if provider == "okta":
            return {}
        return super().get_oauth_user_info(provider, resp)


SECURITY_MANAGER_CLASS = NamesSecurityManager
