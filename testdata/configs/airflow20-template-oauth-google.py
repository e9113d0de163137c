# Airflow 2.0/2.1 era webserver_config.py with the Google example enabled.
import os
from flask_appbuilder.security.manager import AUTH_DB, AUTH_OAUTH

# from flask_appbuilder.security.manager import AUTH_LDAP
# from flask_appbuilder.security.manager import AUTH_OID
# from flask_appbuilder.security.manager import AUTH_REMOTE_USER

basedir = os.path.abspath(os.path.dirname(__file__))

# The SQLAlchemy connection string.
SQLALCHEMY_DATABASE_URI = 'sqlite:///' + os.path.join(basedir, 'app.db')

WTF_CSRF_ENABLED = True

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"

GOOGLE_KEY = os.environ.get("GOOGLE_CLIENT_ID", "")
GOOGLE_SECRET_KEY = os.environ.get("GOOGLE_CLIENT_SECRET", "")

OAUTH_PROVIDERS = [{
    'name': 'google',
    'token_key': 'access_token',
    'icon': 'fa-google',
    'remote_app': {
        'api_base_url': 'https://www.googleapis.com/oauth2/v2/',
        'client_kwargs': {
            'scope': 'email profile'
        },
        'access_token_url': 'https://accounts.google.com/o/oauth2/token',
        'authorize_url': 'https://accounts.google.com/o/oauth2/auth',
        'request_token_url': None,
        'client_id': GOOGLE_KEY,
        'client_secret': GOOGLE_SECRET_KEY,
    }
}]
