# Governed by ../.authdoctor.yaml: its CFG009 and CFG006 findings are
# silenced by the project file.
from flask_appbuilder.const import AUTH_DB

AUTH_TYPE = AUTH_DB
WTF_CSRF_ENABLED = False
SECRET_KEY = "Zq8vN2rT6yW1pL4kXc3m"
