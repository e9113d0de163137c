# Flask-OAuthlib's .data on authlib's response: every login fails.
from flask_appbuilder.security.manager import AUTH_OAUTH
from superset.security import SupersetSecurityManager

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Gamma"
OAUTH_PROVIDERS = [
    {
        "name": "okta",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "superset",
            "api_base_url": "https://example.okta.com/oauth2/v1/",
            "server_metadata_url": "https://example.okta.com/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid email profile groups"},
        },
    }
]


class DataSecurityManager(SupersetSecurityManager):
    def oauth_user_info(self, provider, response=None):
        me = self.appbuilder.sm.oauth_remotes[provider].get("userinfo").data
        return {"username": me["preferred_username"], "email": me["email"], "role_keys": me.get("groups", [])}


CUSTOM_SECURITY_MANAGER = DataSecurityManager
