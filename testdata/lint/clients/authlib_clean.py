# A Flask app with authlib's client, registered at module level with the
# tenant's own metadata, over https, secrets from the environment.
import os

from authlib.integrations.flask_client import OAuth
from flask import Flask, redirect, url_for

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]
oauth = OAuth(app)
oauth.register(
    "entra",
    client_id=os.environ.get("ENTRA_CLIENT_ID"),
    client_secret=os.environ.get("ENTRA_CLIENT_SECRET"),
    server_metadata_url="https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0/.well-known/openid-configuration",
    client_kwargs={"scope": "openid email profile"},
)


@app.route("/login")
def login():
    return oauth.entra.authorize_redirect(url_for("callback", _external=True))


@app.route("/oidc/callback")
def callback():
    oauth.entra.authorize_access_token()
    return redirect("/")
