# match statements are not evaluated; what they assign is unresolved.
# expect-unresolved: AUTH_ROLE_PUBLIC: match statement
import os

ENV = os.environ.get("DEPLOY_ENV", "dev")
AUTH_ROLE_PUBLIC = "Public"

match ENV:
    case "prod":
        AUTH_ROLE_PUBLIC = None
    case "dev" | "test":
        AUTH_ROLE_PUBLIC = "Viewer"
    case _:
        pass

AFTER_MATCH = "still read"
match = "match is a soft keyword"
case = match.upper()
