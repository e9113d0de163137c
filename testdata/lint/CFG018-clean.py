# CFG018 stays quiet: only comments that start with "authdoctor:" are
# directives (this one mentions authdoctor: ignore[CFG006] in passing), and
# text inside string literals is no comment at all.
from flask_appbuilder.const import AUTH_DB

AUTH_TYPE = AUTH_DB
APP_NAME = "Airflow # authdoctor: ignore[CFG006]"
HELP = """
# authdoctor: ignore[CFG009]
"""
WTF_CSRF_ENABLED = True  # authdoctor: ignore[CFG009] kept for the day CSRF is turned off again
