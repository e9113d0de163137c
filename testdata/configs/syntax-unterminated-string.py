# diff: skip an unterminated string literal: CPython refuses the file
import os
from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
BROKEN = "this string never ends
AFTER_BROKEN = "read"
AUTH_USER_REGISTRATION = True
