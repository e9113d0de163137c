# CFG017 stays quiet: every ignore silences a finding.
from flask_appbuilder.const import AUTH_DB

AUTH_TYPE = AUTH_DB
# authdoctor: ignore[CFG009] the SSO proxy in front checks the Origin header
WTF_CSRF_ENABLED = False
SECRET_KEY = "Zq8vN2rT6yW1pL4kXc3m"  # authdoctor: ignore[secret-in-config] the local dev stack's throwaway key
