# authentik, as in the FAB documentation.
from flask_appbuilder.security.manager import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Public"
OAUTH_PROVIDERS = [
    {
        "name": "authentik",
        "token_key": "access_token",
        "icon": "fa-fingerprint",
        "remote_app": {
            "api_base_url": "https://authentik.company/",
            "client_kwargs": {"scope": "email profile", "verify_signature": True},
            "access_token_url": "https://authentik.company/application/o/token/",
            "authorize_url": "https://authentik.company/application/o/authorize/",
            "request_token_url": None,
            "client_id": "CLIENT_ID",
            "client_secret": "CLIENT_SECRET",
            "jwks_uri": "https://authentik.company/application/o/APPLICATION_NAME/jwks/",
        },
    },
]
