# The user's security manager, beside the config.
import jwt

from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride


class BaseCorpSecurity(FabAirflowSecurityManagerOverride):
    def get_oauth_user_info(self, provider, resp):
        me = jwt.decode(resp["id_token"], options={"verify_signature": False})
        return {"username": me["preferred_username"], "email": me.get("email", ""), "role_keys": me.get("groups", [])}


class GroupsSecurityManager(BaseCorpSecurity):
    """Inherits get_oauth_user_info from BaseCorpSecurity."""

    def audit(self):
        return None
