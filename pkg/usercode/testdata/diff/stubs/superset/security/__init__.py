from fabstub import BaseSecurityManager


class SupersetSecurityManager(BaseSecurityManager):
    pass
