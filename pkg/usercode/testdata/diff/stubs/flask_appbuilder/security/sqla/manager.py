from fabstub import BaseSecurityManager


class SecurityManager(BaseSecurityManager):
    pass
