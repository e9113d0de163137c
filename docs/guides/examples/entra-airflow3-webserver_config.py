# webserver_config.py for Airflow 3 with the FAB auth manager
# ([core] auth_manager = airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager)
# signing in with Azure Entra ID. Tenant, client ID and secret come from the
# environment; nothing secret is written in this file.
import os

from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True  # create users at their first sign-in
AUTH_USER_REGISTRATION_ROLE = "Viewer"  # every new user gets at least this
AUTH_ROLES_SYNC_AT_LOGIN = True  # roles follow the token at every sign-in
PERMANENT_SESSION_LIFETIME = 1800  # seconds: role changes apply within 30 min

TENANT_ID = os.environ["AZURE_TENANT_ID"]  # the directory (tenant) GUID, not "common"
CLIENT_ID = os.environ["AZURE_CLIENT_ID"]  # the app registration's client ID

OAUTH_PROVIDERS = [
    {
        "name": "azure",  # lower case: selects the provider's Entra user-info code
        "icon": "fa-windows",
        "token_key": "access_token",
        "remote_app": {
            "client_id": CLIENT_ID,
            "client_secret": os.environ["AZURE_CLIENT_SECRET"],
            # the tenant in this URL is where the newest FAB provider reads it from
            "api_base_url": f"https://login.microsoftonline.com/{TENANT_ID}/v2.0",
            "server_metadata_url": f"https://login.microsoftonline.com/{TENANT_ID}/v2.0/.well-known/openid-configuration",
            "client_kwargs": {
                "scope": "openid email profile",
                "verify_signature": True,
            },
            "request_token_url": None,
        },
    },
]

# Keys are the values of the app roles defined in the app registration
# (they arrive in the ID token's "roles" claim); values are lists of
# Airflow roles.
AUTH_ROLES_MAPPING = {
    "airflow_nonprod_admin": ["Admin"],
    "airflow_nonprod_op": ["Op"],
    "airflow_nonprod_viewer": ["Viewer"],
}
