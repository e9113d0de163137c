# Inline ignores: which finding each directive silences (lint_test.go
# asserts these lines).
from flask_appbuilder.const import AUTH_DB

AUTH_TYPE = AUTH_DB

# authdoctor: ignore[CFG009,CFG006] both findings of the next line
WTF_CSRF_ENABLED = False; SECRET_KEY = "Zq8vN2rT6yW1pL4kXc3m"
MAIL_PASSWORD = "Hj5tR9wQ2nB7vL0e"  # authdoctor: ignore[secret-in-config] by name, on its own line
RECAPTCHA_PRIVATE_KEY = "6LcA9mQpR2sT4uV6wX8yZ0aB"
HELP = """Notes for operators:
# authdoctor: ignore[CFG006] inside a string: not a directive
"""; AUTH_LDAP_BIND_PASSWORD = "Pw7dK3sV9xL2qR5t"
