# The user's security manager, in a package found with --path.
from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride


class CorpSecurityManager(FabAirflowSecurityManagerOverride):
    def oauth_user_info(self, provider, response=None):
        return {"username": "x", "role_keys": ["a"]}

    def get_oauth_user_info(self, provider, resp):
        return {}
