# Paths from __file__ and os.path.
import os
import os.path
from os.path import join as pjoin

basedir = os.path.abspath(os.path.dirname(__file__))
FILE_NAME = os.path.basename(__file__)
SQLALCHEMY_DATABASE_URI = "sqlite:///" + os.path.join(basedir, "app.db")
UPLOAD_FOLDER = pjoin(basedir, "app", "static", "uploads") + "/"
IMG_UPLOAD_URL = "/static/uploads/"
PARENT = os.path.dirname(basedir)
NORMALISED = os.path.normpath("/opt/airflow/../airflow/./dags//x")
ABSOLUTE = os.path.join("/ignored", "/opt/airflow", "logs")
SPLIT = os.path.split("/opt/airflow/webserver_config.py")
STEM, EXT = os.path.splitext("webserver_config.py")
IS_ABS = os.path.isabs("relative/path")
SEP = os.sep
AIRFLOW_HOME = os.environ.get("AIRFLOW_HOME", os.path.expanduser("~/airflow"))
DAGS = os.path.join(AIRFLOW_HOME, "dags")
