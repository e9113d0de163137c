# diff: skip a closing bracket that does not match: CPython refuses the file
from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
OAUTH_PROVIDERS = [
    {
        "name": "okta",
        "remote_app": {
            "client_id": "abc",
            "api_base_url": "https://example.okta.com/oauth2/v1/",
    },
]
AUTH_ROLES_MAPPING = {"Everyone": ["Viewer"]}
