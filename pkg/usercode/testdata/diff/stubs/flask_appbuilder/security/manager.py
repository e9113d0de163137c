from fabstub import AUTH_DB, AUTH_LDAP, AUTH_OAUTH, AUTH_OID, AUTH_REMOTE_USER, BaseSecurityManager  # noqa: F401
