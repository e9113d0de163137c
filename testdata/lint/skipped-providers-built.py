# OAUTH_PROVIDERS is built by code from another module; its remote_app
# too in the second file of this kind.
from flask_appbuilder.const import AUTH_OAUTH

from company_sso import build_providers, remote_for

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
OAUTH_PROVIDERS = build_providers()
