# Registration role computed by a JMESPath expression over the user info.
from flask_appbuilder.security.manager import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE_JMESPATH = "contains(['alice@example.com', 'bob@example.com'], email) && 'Admin' || 'Viewer'"
AUTH_ROLES_SYNC_AT_LOGIN = False
OAUTH_PROVIDERS = [
    {
        "name": "okta",
        "icon": "fa-circle-o",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "0oaabc",
            "client_secret": "okta-secret",
            "server_metadata_url": "https://example.okta.com/oauth2/default/.well-known/openid-configuration",
            "api_base_url": "https://example.okta.com/oauth2/default/v1/",
            "client_kwargs": {"scope": "openid profile email"},
        },
    }
]
