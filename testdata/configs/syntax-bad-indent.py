# diff: skip inconsistent indentation: CPython refuses the file
from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
if True:
        INSIDE = 1
    MISALIGNED = 2
AFTER = "still read"
  STRAY_INDENT = 3
LAST = "last"
