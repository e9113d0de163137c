# A Flask app with authlib's client, registered in an app factory, whose
# metadata is Entra's common document: authlib compares the id_token's
# iss with its template issuer, so every login fails.
import os

from authlib.integrations.flask_client import OAuth
from flask import Flask, url_for

oauth = OAuth()


def create_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]
    oauth.init_app(app)
    oauth.register(
        name="entra",
        client_id=os.environ["ENTRA_CLIENT_ID"],
        client_secret=os.environ["ENTRA_CLIENT_SECRET"],
        server_metadata_url="https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile"},
    )

    @app.route("/login")
    def login():
        return oauth.entra.authorize_redirect(url_for("auth", _external=True))

    @app.route("/auth")
    def auth():
        token = oauth.entra.authorize_access_token()
        return token["userinfo"]["email"]

    return app
