# Azure (Entra ID) as in the Flask-AppBuilder / Airflow documentation, v1 endpoints.
import os

from airflow.www.fab_security.manager import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_ROLES_SYNC_AT_LOGIN = True
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Public"

AZURE_TENANT_ID = os.environ["AZURE_TENANT_ID"]
AZURE_APPLICATION_ID = os.environ["AZURE_CLIENT_ID"]

OAUTH_PROVIDERS = [
    {
        "name": "azure",
        "icon": "fa-windows",
        "token_key": "access_token",
        "remote_app": {
            "client_id": AZURE_APPLICATION_ID,
            "client_secret": os.environ["AZURE_CLIENT_SECRET"],
            "api_base_url": "https://login.microsoftonline.com/{}/oauth2".format(AZURE_TENANT_ID),
            "client_kwargs": {
                "scope": "User.read name preferred_username email profile upn",
                "resource": AZURE_APPLICATION_ID,
                # Optionally enforce signature JWT verification
                "verify_signature": True,
            },
            "request_token_url": None,
            "access_token_url": f"https://login.microsoftonline.com/{AZURE_TENANT_ID}/oauth2/token",
            "authorize_url": f"https://login.microsoftonline.com/{AZURE_TENANT_ID}/oauth2/authorize",
        },
    },
]

AUTH_ROLES_MAPPING = {
    "Viewer": ["Viewer"],
    "Admin": ["Admin"],
    "User": ["User"],
}
PERMANENT_SESSION_LIFETIME = 1800
