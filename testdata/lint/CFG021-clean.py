# CFG021 clean: what raises is caught, or depends on the deployment's
# environment (an explicit guard, a variable that may be set).
import os

try:
    PORT = int(os.environ["WEB_PORT"])
except KeyError:
    PORT = 8080

try:
    LIMIT = 1 / 0
except ZeroDivisionError:
    LIMIT = None

if not os.environ.get("AZURE_CLIENT_ID"):
    raise RuntimeError("AZURE_CLIENT_ID is required")

SECRET_KEY = os.environ["FLASK_SECRET_KEY"]
