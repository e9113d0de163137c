# ROL005 fires: AUTH_ROLES_SYNC_AT_LOGIN is on, so roles granted by hand are replaced at login.
import os

from flask_appbuilder.const import AUTH_OAUTH

basedir = os.path.abspath(os.path.dirname(__file__))

WTF_CSRF_ENABLED = True
WTF_CSRF_TIME_LIMIT = None

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
AUTH_ROLES_SYNC_AT_LOGIN = True
PERMANENT_SESSION_LIFETIME = 1800

AUTH_ROLES_MAPPING = {
    "airflow_prod_admin": ["Admin"],
    "airflow_prod_op": ["Op"],
    "airflow_prod_viewer": ["Viewer"],
}

OAUTH_PROVIDERS = [
    {
        "name": "azure",
        "icon": "fa-windows",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "6731de76-14a6-49ae-97bc-6eba6914391e",
            "client_secret": os.environ.get("AZURE_CLIENT_SECRET"),
            "api_base_url": "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/oauth2",
            "access_token_url": "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/oauth2/v2.0/token",
            "authorize_url": "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/oauth2/v2.0/authorize",
            "server_metadata_url": "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0/.well-known/openid-configuration",
            "client_kwargs": {
                "scope": "openid email profile",
                "verify_signature": True,
            },
        },
    },
]
