# GitHub (and GitHub Enterprise) sign-in; teams cannot be mapped by FAB.
import os
from flask_appbuilder.security.manager import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"

GITHUB_HOST = os.environ.get("GITHUB_HOST", "github.com")
GITHUB_API = "https://api.github.com/" if GITHUB_HOST == "github.com" else f"https://{GITHUB_HOST}/api/v3/"

OAUTH_PROVIDERS = [
    {
        "name": "github",
        "icon": "fa-github",
        "token_key": "access_token",
        "remote_app": {
            "client_id": os.environ.get("GITHUB_CLIENT_ID"),
            "client_secret": os.environ.get("GITHUB_CLIENT_SECRET"),
            "api_base_url": GITHUB_API,
            "client_kwargs": {"scope": "read:user, read:org"},
            "access_token_url": f"https://{GITHUB_HOST}/login/oauth/access_token",
            "authorize_url": f"https://{GITHUB_HOST}/login/oauth/authorize",
            "request_token_url": None,
        },
    }
]
