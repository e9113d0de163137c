# super() runs FAB's keycloak branch, so its relative user-info call is
# joined to this api_base_url: ".../openid-connect/" + "openid-connect/userinfo"
# misses (CFG013 holds). The override adds nothing to role_keys; with the
# registration role None every new user ends with no role (ROL003 holds).
from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride
from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
OAUTH_PROVIDERS = [
    {
        "name": "keycloak",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "airflow",
            "api_base_url": "https://sso.example.org/realms/corp/protocol/openid-connect/",
            "server_metadata_url": "https://sso.example.org/realms/corp/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid email profile"},
        },
    }
]


class LowerSecurityManager(FabAirflowSecurityManagerOverride):
    def get_oauth_user_info(self, provider, resp):
        info = super().get_oauth_user_info(provider, resp)
        info["username"] = info["username"].lower()
        info["role_keys"] = []
        return info


SECURITY_MANAGER_CLASS = LowerSecurityManager
