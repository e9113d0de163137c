# Helper functions defined and called in the file (evaluated when their
# arguments are known), including the Superset get_env_variable pattern.
# expect-unresolved: DECORATED_RESULT: decorated function
import functools
import os


def get_env_variable(var_name, default=None):
    """Get the environment variable or raise exception."""
    try:
        return os.environ[var_name]
    except KeyError:
        if default is not None:
            return default
        else:
            error_msg = "The environment variable {} was missing, abort...".format(var_name)
            raise EnvironmentError(error_msg)


DATABASE_USER = get_env_variable("DATABASE_USER")
DATABASE_PORT = get_env_variable("UNSET_DATABASE_PORT", "5432")


def env_bool(name, default=False):
    value = os.getenv(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default="", sep=","):
    return [item.strip() for item in os.getenv(name, default).split(sep) if item.strip()]


ENABLE_PROXY_FIX = env_bool("ENABLE_PROXY_FIX_SET_TRUE")
FAB_API_SWAGGER_UI = env_bool("FAB_SWAGGER_UNSET", True)
ALLOWED_GROUPS = env_list("ALLOWED_GROUPS_UNSET", "admins, users ,")


def make_provider(name, *, scope="openid email", **extra):
    provider = {"name": name, "token_key": "access_token", "remote_app": {"client_kwargs": {"scope": scope}}}
    provider["remote_app"].update(extra)
    return provider


OAUTH_PROVIDERS = [make_provider("keycloak", scope="openid", client_id="airflow", api_base_url="https://kc/protocol/openid-connect")]

square = lambda x: x * x
SQUARES = [square(n) for n in range(4)]

counter = {"calls": 0}


def bump():
    counter["calls"] += 1
    return counter["calls"]


bump()
bump()
CALLS = counter["calls"]


def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)


FACT = fact(10)


@functools.lru_cache(maxsize=None)
def cached():
    return "value"


DECORATED_RESULT = cached()


def outer():
    prefix = "pre"

    def inner(x):
        return prefix + x

    return inner("-fix")


CLOSURE = outer()
