# Class bodies: attributes reachable as Class.ATTR, inheritance inside the file.
from flask_appbuilder.security.manager import AUTH_OAUTH


class Settings:
    """Grouped settings."""

    TENANT = "contoso.onmicrosoft.com"
    AUTHORITY = "https://login.microsoftonline.com/" + TENANT
    SCOPES = ["openid", "email"]
    SCOPES.append("profile")
    SCOPE_STR = " ".join(SCOPES)
    PORTS = [p for p in (80, 443)]

    class Inner:
        VALUE = 42

    INNER_VALUE = Inner.VALUE

    def method(self):
        return self.TENANT

    @staticmethod
    def helper():
        return "static"


class ProdSettings(Settings):
    TENANT = "contoso-prod.onmicrosoft.com"


Settings.ADDED_LATER = "set from outside"

AUTH_TYPE = AUTH_OAUTH
AUTHORITY = Settings.AUTHORITY
SCOPE = Settings.SCOPE_STR
INNER = Settings.Inner.VALUE
INNER2 = Settings.INNER_VALUE
PROD_TENANT = ProdSettings.TENANT
INHERITED = ProdSettings.AUTHORITY
ADDED = Settings.ADDED_LATER
PORTS = Settings.PORTS
CLASS_NAME = Settings.__name__
HELPER = Settings.helper()
