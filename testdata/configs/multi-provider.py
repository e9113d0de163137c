# Several providers on one login page, built from a table.
import os
from flask_appbuilder.security.manager import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Public"

_COMMON = {"token_key": "access_token"}

_TABLE = {
    "google": ("fa-google", "https://www.googleapis.com/oauth2/v2/", "email profile"),
    "github": ("fa-github", "https://api.github.com/", "user:email"),
    "gitlab": ("fa-gitlab", "https://gitlab.com/api/v4/", "read_user openid"),
}


def provider(name, icon, base, scope):
    return {
        **_COMMON,
        "name": name,
        "icon": icon,
        "remote_app": {
            "client_id": os.environ.get(name.upper() + "_CLIENT_ID", name + "-id"),
            "client_secret": os.environ.get(name.upper() + "_CLIENT_SECRET", name + "-secret"),
            "api_base_url": base,
            "client_kwargs": {"scope": scope},
        },
    }


OAUTH_PROVIDERS = [provider(n, *rest) for n, rest in _TABLE.items()]
OAUTH_PROVIDERS[2]["whitelist"] = [r"@example\.com$"]
PROVIDER_NAMES = [p["name"] for p in OAUTH_PROVIDERS]
