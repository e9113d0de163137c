# The base URL, the scope and the role mapping come from the environment
# or a helper the reader cannot evaluate.
import os

from flask_appbuilder.const import AUTH_OAUTH

from company_sso import load_mapping

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
AUTH_ROLES_MAPPING = load_mapping()
OAUTH_PROVIDERS = [
    {
        "name": "keycloak",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "airflow",
            "client_secret": os.environ.get("OAUTH_SECRET"),
            "server_metadata_url": "https://sso.example.com/realms/corp/.well-known/openid-configuration",
            "api_base_url": os.environ["KEYCLOAK_BASE"],
            "client_kwargs": {"scope": os.environ["OAUTH_SCOPE"]},
        },
    },
]
