# diff: skip stray invalid statements in the middle of the file
from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = = True
AUTH_ROLE_ADMIN = "Admin"
def broken(:
    pass
AUTH_ROLE_PUBLIC = "Public"
if AUTH_TYPE == 4
    INSIDE_BROKEN_IF = 1
AFTER_ALL = "read"
