# remote_app comes from a helper the reader cannot evaluate.
from flask_appbuilder.const import AUTH_OAUTH

from company_sso import remote_for

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
OAUTH_PROVIDERS = [{"name": "okta", "token_key": "access_token", "remote_app": remote_for("okta")}]
