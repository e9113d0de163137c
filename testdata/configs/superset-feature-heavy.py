# A larger superset_config.py: caches, feature flags, CSP, Celery, SQL Lab.
import os
from datetime import timedelta

from celery.schedules import crontab
from flask_appbuilder.security.manager import AUTH_OAUTH
from superset.security import SupersetSecurityManager

SUPERSET_ENV = os.environ.get("SUPERSET_ENV", "production")
SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]
SQLALCHEMY_DATABASE_URI = "postgresql+psycopg2://{user}:{pw}@{host}:{port}/{db}".format(
    user=os.environ["DATABASE_USER"],
    pw=os.environ["DATABASE_PASSWORD"],
    host=os.environ["DATABASE_HOST"],
    port=os.environ.get("DATABASE_PORT", 5432),
    db=os.environ["DATABASE_DB"],
)
SQLALCHEMY_TRACK_MODIFICATIONS = False
SQLALCHEMY_POOL_SIZE = 20

REDIS_URL = "redis://%s:%s" % (os.environ.get("REDIS_HOST", "redis"), os.environ.get("REDIS_PORT", "6379"))

FEATURE_FLAGS = {
    "ALERT_REPORTS": True,
    "DASHBOARD_CROSS_FILTERS": True,
    "DASHBOARD_RBAC": True,
    "EMBEDDABLE_CHARTS": True,
    "EMBEDDED_SUPERSET": False,
    "ENABLE_TEMPLATE_PROCESSING": True,
    "TAGGING_SYSTEM": False,
}
FEATURE_FLAGS.update({"HORIZONTAL_FILTER_BAR": True})

CACHE_DEFAULT_TIMEOUT = int(timedelta(days=1).total_seconds())
CACHE_CONFIG = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_DEFAULT_TIMEOUT": CACHE_DEFAULT_TIMEOUT,
    "CACHE_KEY_PREFIX": "superset_metadata_cache",
    "CACHE_REDIS_URL": f"{REDIS_URL}/1",
}
FILTER_STATE_CACHE_CONFIG = {**CACHE_CONFIG, "CACHE_KEY_PREFIX": "superset_filter_cache"}
EXPLORE_FORM_DATA_CACHE_CONFIG = {**CACHE_CONFIG, "CACHE_KEY_PREFIX": "superset_explore_form_data_cache"}

TALISMAN_ENABLED = SUPERSET_ENV == "production"
TALISMAN_CONFIG = {
    "content_security_policy": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:", "https://apachesuperset.gateway.scarf.sh"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'", "https://api.mapbox.com", "https://events.mapbox.com"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}

SQLLAB_TIMEOUT = 300
SUPERSET_WEBSERVER_TIMEOUT = int(timedelta(minutes=5).total_seconds())
ROW_LIMIT = 50000
SQL_MAX_ROW = 100_000
LANGUAGES = {"en": {"flag": "us", "name": "English"}, "de": {"flag": "de", "name": "German"}}
BABEL_DEFAULT_LOCALE = "en"


class CeleryConfig:
    broker_url = f"{REDIS_URL}/0"
    imports = ("superset.sql_lab", "superset.tasks.scheduler")
    result_backend = f"{REDIS_URL}/0"
    worker_prefetch_multiplier = 10
    task_acks_late = True
    beat_schedule = {
        "reports.scheduler": {"task": "reports.scheduler", "schedule": crontab(minute="*", hour="*")},
    }


CELERY_CONFIG = CeleryConfig

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Gamma"
CUSTOM_SECURITY_MANAGER = SupersetSecurityManager
OAUTH_PROVIDERS = [
    {
        "name": "google",
        "icon": "fa-google",
        "token_key": "access_token",
        "remote_app": {
            "client_id": os.environ["GOOGLE_CLIENT_ID"],
            "client_secret": os.environ["GOOGLE_CLIENT_SECRET"],
            "api_base_url": "https://www.googleapis.com/oauth2/v2/",
            "client_kwargs": {"scope": "email profile"},
            "request_token_url": None,
            "access_token_url": "https://accounts.google.com/o/oauth2/token",
            "authorize_url": "https://accounts.google.com/o/oauth2/auth",
            "authorize_params": {"hd": "example.com"},
        },
    }
]
