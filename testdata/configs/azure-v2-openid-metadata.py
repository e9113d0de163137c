# Azure v2 endpoints through the discovery document; app roles mapped to Airflow roles.
import os
from flask_appbuilder.const import AUTH_OAUTH

TENANT = os.getenv("AZURE_TENANT_ID", "common")
CLIENT_ID = os.getenv("AZURE_CLIENT_ID")

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
AUTH_ROLES_SYNC_AT_LOGIN = True

OAUTH_PROVIDERS = [
    {
        "name": "azure",
        "icon": "fa-windows",
        "token_key": "access_token",
        "remote_app": {
            "client_id": CLIENT_ID,
            "client_secret": os.getenv("AZURE_CLIENT_SECRET"),
            "api_base_url": f"https://login.microsoftonline.com/{TENANT}/v2.0/",
            "server_metadata_url": (
                f"https://login.microsoftonline.com/{TENANT}"
                "/v2.0/.well-known/openid-configuration"
            ),
            "client_kwargs": {
                "scope": "openid email profile",
                "verify_signature": True,
            },
        },
    }
]

AUTH_ROLES_MAPPING = {
    "airflow_admin": ["Admin"],
    "airflow_op": ["Op"],
    "airflow_user": ["User"],
    "airflow_viewer": ["Viewer"],
}
