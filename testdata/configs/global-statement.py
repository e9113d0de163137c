# A function that changes module settings through `global`.
AUTH_USER_REGISTRATION = False
AUTH_USER_REGISTRATION_ROLE = "Public"


def enable_registration(role):
    global AUTH_USER_REGISTRATION, AUTH_USER_REGISTRATION_ROLE
    AUTH_USER_REGISTRATION = True
    AUTH_USER_REGISTRATION_ROLE = role


def not_called():
    global NEVER_SET
    NEVER_SET = True


enable_registration("Viewer")
AFTER = AUTH_USER_REGISTRATION_ROLE
