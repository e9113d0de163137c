# A plain Flask app that signs users in with Microsoft through
# Flask-OAuthlib, in the style of the Graph samples of 2018-2019.
import os
import uuid

import flask
from flask_oauthlib.client import OAuth

CLIENT_ID = os.environ.get("CLIENT_ID")
CLIENT_SECRET = os.environ.get("CLIENT_SECRET")
TENANT = os.getenv("TENANT_ID")

APP = flask.Flask(__name__)
APP.secret_key = "development"
OAUTH = OAuth(APP)
MSGRAPH = OAUTH.remote_app(
    "microsoft",
    consumer_key=CLIENT_ID,
    consumer_secret=CLIENT_SECRET,
    request_token_params={"scope": "User.Read"},
    base_url="https://graph.microsoft.com/v1.0/",
    request_token_url=None,
    access_token_method="POST",
    access_token_url=f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token",
    authorize_url="https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
)


@APP.route("/login")
def login():
    flask.session["state"] = str(uuid.uuid4())
    return MSGRAPH.authorize(callback=flask.url_for("authorized", _external=True), state=flask.session["state"])


@APP.route("/login/authorized")
def authorized():
    response = MSGRAPH.authorized_response()
    flask.session["access_token"] = response["access_token"]
    return flask.redirect("/")
