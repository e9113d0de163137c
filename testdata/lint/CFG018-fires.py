# CFG018 fires: directives that cannot be used, and they silence nothing.
from flask_appbuilder.const import AUTH_DB

AUTH_TYPE = AUTH_DB
# authdoctor: ignore[CFG009]
WTF_CSRF_ENABLED = False
SECRET_KEY = "Zq8vN2rT6yW1pL4kXc3m"  # authdoctor: ignore[CFG060] a typo in the ID
# authdoctor: disable CFG006 a verb authdoctor does not know
MAIL_PASSWORD = "Hj5tR9wQ2nB7vL0e"
