# CFG017 fires: ignores that silence nothing are stale.
from flask_appbuilder.const import AUTH_DB

AUTH_TYPE = AUTH_DB
# authdoctor: ignore[CFG009] CSRF was off while the SSO proxy was being tested
WTF_CSRF_ENABLED = True
APP_NAME = "Airflow"  # authdoctor: ignore[CFG006] a trailing directive covers its own line only
SECRET_KEY = "Zq8vN2rT6yW1pL4kXc3m"
# authdoctor: ignore[CFG009,CFG006] half of it is used
MAIL_PASSWORD = "Hj5tR9wQ2nB7vL0e"
