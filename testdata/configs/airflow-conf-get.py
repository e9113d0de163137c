# Values taken from airflow.cfg / AIRFLOW__SECTION__KEY through airflow.configuration.
# env: AIRFLOW__WEBSERVER__BASE_URL=https://airflow.example.com
# env: AIRFLOW__WEBSERVER__ENABLE_PROXY_FIX=True
# env: AIRFLOW__CUSTOM__SESSION_MINUTES=90
# expect-unresolved: INSTANCE_NAME: [webserver] instance_name
from airflow.configuration import conf
from airflow import configuration
import airflow.configuration as airflow_configuration
from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
BASE_URL = conf.get("webserver", "base_url")
PROXY_FIX = conf.getboolean("webserver", "enable_proxy_fix", fallback=False)
RATE_LIMITED = conf.getboolean("fab", "auth_rate_limited", fallback=True)
SESSION_MINUTES = conf.getint("custom", "session_minutes")
PERMANENT_SESSION_LIFETIME = SESSION_MINUTES * 60
DEFAULT_UI = configuration.conf.get("webserver", "default_ui_timezone", fallback="UTC")
VIA_MODULE = airflow_configuration.conf.get("WEBSERVER", "BASE_URL") + "/home"
INSTANCE_NAME = conf.get("webserver", "instance_name")
CALLBACK = f"{BASE_URL}/oauth-authorized/azure"
