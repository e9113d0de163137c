# webserver_config.py for Airflow 3 (FAB auth manager) signing in with an
# Okta custom authorization server ("default" here). Every URL comes from
# the same authorization server.
import os

from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
AUTH_ROLES_SYNC_AT_LOGIN = True
PERMANENT_SESSION_LIFETIME = 1800

OKTA_ISSUER = os.environ["OKTA_ISSUER"]  # https://dev-123456.okta.com/oauth2/default

OAUTH_PROVIDERS = [
    {
        "name": "okta",
        "icon": "fa-circle-o",
        "token_key": "access_token",
        "remote_app": {
            "client_id": os.environ["OKTA_CLIENT_ID"],
            "client_secret": os.environ["OKTA_CLIENT_SECRET"],
            "server_metadata_url": f"{OKTA_ISSUER}/.well-known/openid-configuration",
            # trailing slash: FAB appends "userinfo"
            "api_base_url": f"{OKTA_ISSUER}/v1/",
            # "groups" is released only with a groups claim on the server
            "client_kwargs": {"scope": "openid email profile groups"},
            "request_token_url": None,
        },
    },
]

AUTH_ROLES_MAPPING = {
    "airflow-admins": ["Admin"],
    "airflow-ops": ["Op"],
}
