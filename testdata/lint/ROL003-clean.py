# ROL003 clean: new GitHub users are registered as Viewer.
import os

from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"

OAUTH_PROVIDERS = [
    {
        "name": "github",
        "icon": "fa-github",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "Iv1.0123456789abcdef",
            "client_secret": os.environ.get("GITHUB_CLIENT_SECRET"),
            "api_base_url": "https://api.github.com/",
            "client_kwargs": {"scope": "read:user user:email"},
            "access_token_url": "https://github.com/login/oauth/access_token",
            "authorize_url": "https://github.com/login/oauth/authorize",
        },
    },
]
