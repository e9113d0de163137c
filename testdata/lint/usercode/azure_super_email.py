# The azure branch through super(), post-processed: which claim it reads
# for the e-mail depends on the release (spec fab.md §2.4).
import os

from flask_appbuilder.const import AUTH_OAUTH
from airflow.www.security import AirflowSecurityManager

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
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


class CorpSecurityManager(AirflowSecurityManager):
    def get_oauth_user_info(self, provider, resp):
        info = super().get_oauth_user_info(provider, resp)
        info["username"] = info["email"].lower()
        return info


SECURITY_MANAGER_CLASS = CorpSecurityManager
