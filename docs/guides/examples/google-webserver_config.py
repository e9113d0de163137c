# webserver_config.py for Airflow 3 (FAB auth manager) signing in with
# Google. Google sends no roles or groups: everyone gets the registration
# role, and other roles are granted in the UI.
import os

from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
AUTH_ROLES_SYNC_AT_LOGIN = False  # keep roles granted by hand in the UI

OAUTH_PROVIDERS = [
    {
        "name": "google",
        "icon": "fa-google",
        "token_key": "access_token",
        "whitelist": [r"@example\.com$"],  # only these e-mail addresses may sign in
        "remote_app": {
            "client_id": os.environ["GOOGLE_CLIENT_ID"],
            "client_secret": os.environ["GOOGLE_CLIENT_SECRET"],
            "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration",
            # trailing slash: FAB appends "userinfo"
            "api_base_url": "https://www.googleapis.com/oauth2/v2/",
            "client_kwargs": {"scope": "openid email profile"},
            "request_token_url": None,
        },
    },
]
