# User-info code that reads upn with [...] (Entra v2 id_tokens have none),
# and asks a plain-http API.
import jwt
import requests
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
    },
    {
        "name": "keycloak",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "airflow",
            "api_base_url": "https://sso.example.org/realms/corp/protocol/",
            "server_metadata_url": "https://sso.example.org/realms/corp/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid email profile"},
        },
    },
]


class ClaimsSecurityManager(FabAirflowSecurityManagerOverride):
    def get_oauth_user_info(self, provider, resp):
        if provider == "azure":
            me = jwt.decode(resp["id_token"], options={"verify_signature": False})
            return {"username": me["upn"], "email": me.get("email", ""), "role_keys": me.get("groups", [])}
        groups = requests.get("http://directory.corp.example/groups", headers={"Authorization": "Bearer " + resp["access_token"]}).json()
        return {"username": "x", "role_keys": groups}


SECURITY_MANAGER_CLASS = ClaimsSecurityManager
