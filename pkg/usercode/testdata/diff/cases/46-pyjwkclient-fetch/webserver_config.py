{{IMPORT}}
from flask_appbuilder.const import AUTH_OAUTH
import jwt
AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Public"
AUTH_ROLES_MAPPING = {
    "b5a6c7d8-0000-4000-8000-000000000001": ["Admin"],
    "data-engineers": ["Op"],
    "analysts": ["Viewer"],
    "superset_admins": ["Admin"],
}
OAUTH_PROVIDERS = [
    {
        "name": "azure",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "11111111-2222-3333-4444-555555555555",
            "api_base_url": "https://login.microsoftonline.com/9a95fd9e-005d-487a-9a01-d08c1eab2757/oauth2/v2.0/",
            "server_metadata_url": "https://login.microsoftonline.com/9a95fd9e-005d-487a-9a01-d08c1eab2757/v2.0/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid email profile", "verify_signature": False},
        },
    },
    {
        "name": "keycloak",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "airflow",
            "api_base_url": "https://sso.example.org/realms/corp/protocol/",
            "server_metadata_url": "https://sso.example.org/realms/corp/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid email profile"},
        },
    },
    {
        "name": "github",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "gh-client",
            "api_base_url": "https://api.github.com/",
            "access_token_url": "https://github.com/login/oauth/access_token",
            "authorize_url": "https://github.com/login/oauth/authorize",
            "client_kwargs": {"scope": "read:user"},
        },
    },
]

class KeysSM(BaseSM):
    def get_oauth_user_info(self, provider, resp):
        client = jwt.PyJWKClient("https://login.microsoftonline.com/common/discovery/v2.0/keys")
        key = client.get_signing_key_from_jwt(resp["id_token"])
        me = jwt.decode(resp["id_token"], key.key, algorithms=["RS256"], audience="11111111-2222-3333-4444-555555555555")
        return {"username": me["preferred_username"]}


{{INSTALL:KeysSM}}
