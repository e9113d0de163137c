# LDAP authentication (not OAuth) for Airflow.
import os
from airflow.www.fab_security.manager import AUTH_LDAP

AUTH_TYPE = AUTH_LDAP
AUTH_LDAP_SERVER = "ldaps://ldap.example.com:636"
AUTH_LDAP_USE_TLS = False
AUTH_LDAP_SEARCH = "dc=example,dc=com"
AUTH_LDAP_BIND_USER = "cn=airflow,ou=services,dc=example,dc=com"
AUTH_LDAP_BIND_PASSWORD = os.environ.get("LDAP_PASSWORD", "changeme")
AUTH_LDAP_UID_FIELD = "sAMAccountName"
AUTH_LDAP_GROUP_FIELD = "memberOf"
AUTH_LDAP_ALLOW_SELF_SIGNED = True
AUTH_LDAP_TLS_CACERTFILE = "/etc/ssl/certs/ca-certificates.crt"
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
AUTH_ROLES_SYNC_AT_LOGIN = True
AUTH_ROLES_MAPPING = {
    "cn=airflow-admins,ou=groups,dc=example,dc=com": ["Admin"],
    "cn=airflow-users,ou=groups,dc=example,dc=com": ["User"],
}
