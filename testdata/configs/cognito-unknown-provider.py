# AWS Cognito: not a built-in FAB provider name, handled by a custom manager.
import os
from flask_appbuilder.security.manager import AUTH_OAUTH
from airflow.www.security import AirflowSecurityManager

REGION = os.getenv("AWS_REGION", "eu-west-1")
POOL_ID = os.getenv("COGNITO_POOL_ID", "eu-west-1_AbCdEfGhI")
DOMAIN = os.getenv("COGNITO_DOMAIN", "airflow-auth.auth.eu-west-1.amazoncognito.com")

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"

OAUTH_PROVIDERS = [
    {
        "name": "aws_cognito",
        "icon": "fa-amazon",
        "token_key": "access_token",
        "remote_app": {
            "client_id": os.getenv("COGNITO_CLIENT_ID", "1example23456789"),
            "client_secret": os.getenv("COGNITO_CLIENT_SECRET", "cognito-secret"),
            "api_base_url": f"https://{DOMAIN}/",
            "client_kwargs": {"scope": "openid email profile aws.cognito.signin.user.admin"},
            "access_token_url": f"https://{DOMAIN}/oauth2/token",
            "authorize_url": f"https://{DOMAIN}/oauth2/authorize",
            "jwks_uri": f"https://cognito-idp.{REGION}.amazonaws.com/{POOL_ID}/.well-known/jwks.json",
        },
    }
]


class CognitoSecurityManager(AirflowSecurityManager):
    def get_oauth_user_info(self, provider, resp):
        if provider == "aws_cognito":
            me = self.appbuilder.sm.oauth_remotes[provider].get("oauth2/userInfo").json()
            return {"username": me["username"], "email": me["email"], "role_keys": me.get("cognito:groups", [])}
        return {}


SECURITY_MANAGER_CLASS = CognitoSecurityManager
