# A Superset security manager that asks Keycloak's user-info endpoint.
from flask_appbuilder.security.manager import AUTH_OAUTH
from superset.security import SupersetSecurityManager

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Gamma"
AUTH_ROLES_MAPPING = {"superset_admins": ["Admin"], "superset_alpha": ["Alpha"]}
OAUTH_PROVIDERS = [
    {
        "name": "keycloak",
        "icon": "fa-key",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "superset",
            "api_base_url": "https://sso.example.org/realms/corp/protocol/",
            "server_metadata_url": "https://sso.example.org/realms/corp/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid email profile"},
        },
    }
]


class CustomSsoSecurityManager(SupersetSecurityManager):
    def oauth_user_info(self, provider, response=None):
        me = self.appbuilder.sm.oauth_remotes[provider].get("openid-connect/userinfo").json()
        return {
            "username": me["preferred_username"],
            "email": me.get("email", ""),
            "first_name": me.get("given_name", ""),
            "last_name": me.get("family_name", ""),
            "role_keys": me.get("roles", []),
        }


CUSTOM_SECURITY_MANAGER = CustomSsoSecurityManager
