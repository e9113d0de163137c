# Auth0 tenant, following the FAB documentation.
import os
from flask_appbuilder.security.manager import AUTH_OAUTH

AUTH0_DOMAIN = os.getenv("AUTH0_DOMAIN", "example.eu.auth0.com")

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"

OAUTH_PROVIDERS = [
    {
        "name": "auth0",
        "token_key": "access_token",
        "icon": "fa-shield-halved",
        "remote_app": {
            "client_id": os.getenv("AUTH0_CLIENT_ID", "abc123"),
            "client_secret": os.getenv("AUTH0_CLIENT_SECRET", "shh"),
            "server_metadata_url": "https://" + AUTH0_DOMAIN + "/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid profile email groups"},
        },
    }
]
