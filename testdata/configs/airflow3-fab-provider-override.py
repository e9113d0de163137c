# Airflow 3: the FAB auth manager's security manager override as base class.
from __future__ import annotations

import os

from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride
from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
AUTH_ROLES_SYNC_AT_LOGIN = True
AUTH_ROLES_MAPPING = {"platform-admins": ["Admin"], "data-engineers": ["Op"], "analysts": ["Viewer"]}
AUTH_OAUTH_ROLE_KEYS = ["groups", "roles"]


class OidcSecurityManager(FabAirflowSecurityManagerOverride):
    def get_oauth_user_info(self, provider, resp):
        me = resp["userinfo"]
        return {
            "username": me["preferred_username"],
            "email": me.get("email"),
            "first_name": me.get("given_name", ""),
            "last_name": me.get("family_name", ""),
            "role_keys": me.get("groups", []),
        }


SECURITY_MANAGER_CLASS = OidcSecurityManager

ISSUER = os.environ.get("OIDC_ISSUER", "https://idp.example.com/realms/data")
OAUTH_PROVIDERS = [
    {
        "name": "keycloak",
        "icon": "fa-key",
        "token_key": "access_token",
        "remote_app": {
            "client_id": os.environ.get("OIDC_CLIENT_ID", "airflow"),
            "client_secret": os.environ.get("OIDC_CLIENT_SECRET", "not-so-secret"),
            "server_metadata_url": ISSUER + "/.well-known/openid-configuration",
            "api_base_url": ISSUER + "/protocol/openid-connect",
            "client_kwargs": {"scope": "openid email profile"},
            "redirect_uri": os.environ.get("AIRFLOW_BASE_URL", "https://airflow.example.com") + "/auth/oauth-authorized/keycloak",
        },
    }
]
