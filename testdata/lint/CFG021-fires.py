# CFG021 fires: AUTH_OID is used but its import was commented out, so
# loading the file raises NameError at line 10 and the webserver does not
# start.
import os

# from flask_appbuilder.const import AUTH_OID

basedir = os.path.abspath(os.path.dirname(__file__))
WTF_CSRF_ENABLED = True
AUTH_TYPE = AUTH_OID
AUTH_USER_REGISTRATION = True
