# Secrets read from the environment in every common way.
# env: SECRET_KEY_FILE_CONTENT=from-env-file
# expect-unresolved: LDAP_BIND_PASSWORD: environment variable LDAP_BIND_PASSWORD is not set
# expect-unresolved: DEBUG_TOKEN: environment variable DEBUG_TOKEN is not set
import os
from os import environ, getenv
from os import environ as env

SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]
CLIENT_SECRET = environ.get("AZURE_CLIENT_SECRET")
CLIENT_ID = getenv("AZURE_CLIENT_ID", "fallback-client")
TENANT = env["AZURE_TENANT_ID"]
DB_PASSWORD = os.environ.get("DATABASE_PASSWORD", "postgres")
REDIS_PASSWORD = os.environ.get("REDIS_PASSWORD", None)
LDAP_BIND_PASSWORD = os.getenv("LDAP_BIND_PASSWORD")
DEBUG_TOKEN = os.environ.get("DEBUG_TOKEN")
FILE_SECRET = os.environ.get("SECRET_KEY_FILE_CONTENT", "")
HAS_TENANT = "AZURE_TENANT_ID" in os.environ
PORT = int(os.environ.get("SUPERSET_PORT", "8088"))
WORKERS = int(os.getenv("GUNICORN_WORKERS", 4))
DEBUG = os.getenv("FLASK_DEBUG", "false").lower() in ("1", "true", "yes")
ALLOWED = os.getenv("ALLOWED_EMAIL_DOMAINS", "example.com, example.org").split(",")
ALLOWED_CLEAN = [d.strip() for d in ALLOWED if d.strip()]

os.environ["CONFIGURED_BY"] = "webserver_config"
CONFIGURED_BY = os.environ["CONFIGURED_BY"]
os.environ.setdefault("FEATURE_X", "on")
FEATURE_X = os.getenv("FEATURE_X")
