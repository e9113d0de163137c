# Airflow 2 with a custom security manager reading Azure group claims.
# expect-unresolved: SAMPLE_ROLES: order of a set's items
import logging
import os
from typing import Any, Dict, List, Union

from airflow.www.security import AirflowSecurityManager
from flask_appbuilder.security.manager import AUTH_OAUTH

log = logging.getLogger(__name__)
log.setLevel(os.getenv("AIRFLOW__LOGGING__FAB_LOGGING_LEVEL", "INFO"))

FAB_ADMIN_ROLE = "Admin"
FAB_VIEWER_ROLE = "Viewer"
FAB_PUBLIC_ROLE = "Public"  # The "Public" role is given no permissions
TEAM_ID_A_FROM_AZURE = "00000000-1111-2222-3333-444444444444"
TEAM_ID_B_FROM_AZURE = "55555555-6666-7777-8888-999999999999"


def team_parser(team_payload: Dict[str, Any]) -> List[int]:
    # Parse the team payload from Azure however you want here.
    return team_payload["groups"]


def map_roles(team_list: List[int]) -> List[str]:
    # Associate the team IDs with Roles here.
    team_role_map = {
        TEAM_ID_A_FROM_AZURE: FAB_ADMIN_ROLE,
        TEAM_ID_B_FROM_AZURE: FAB_VIEWER_ROLE,
    }
    return list(set(team_role_map.get(team, FAB_PUBLIC_ROLE) for team in team_list))


class AzureCustomSecurity(AirflowSecurityManager):
    def get_oauth_user_info(self, provider: str, response: Dict[str, Any]) -> Dict[str, Union[str, List[str]]]:
        me = self._azure_jwt_token_parse(response["id_token"])
        teams = team_parser(me)
        roles = map_roles(teams)
        log.debug(f"User info from Azure: {me}")
        return {
            "email": me.get("email", me.get("upn")),
            "first_name": me.get("given_name", ""),
            "last_name": me.get("family_name", ""),
            "username": me["oid"],
            "role_keys": roles,
        }


AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_ROLES_SYNC_AT_LOGIN = True
AUTH_USER_REGISTRATION_ROLE = FAB_PUBLIC_ROLE
AUTH_ROLES_MAPPING = {
    FAB_VIEWER_ROLE: [FAB_VIEWER_ROLE],
    FAB_ADMIN_ROLE: [FAB_ADMIN_ROLE],
}
SAMPLE_ROLES = map_roles([TEAM_ID_A_FROM_AZURE, "someone-else"])
SAMPLE_TEAMS = team_parser({"groups": [TEAM_ID_B_FROM_AZURE]})

OAUTH_PROVIDERS = [
    {
        "name": "azure",
        "icon": "fa-windows",
        "token_key": "access_token",
        "remote_app": {
            "client_id": os.environ["AZURE_CLIENT_ID"],
            "client_secret": os.environ["AZURE_CLIENT_SECRET"],
            "api_base_url": "https://login.microsoftonline.com/%s/oauth2" % os.environ["AZURE_TENANT_ID"],
            "client_kwargs": {
                "scope": "User.read name preferred_username email profile upn",
                "resource": os.environ["AZURE_CLIENT_ID"],
            },
            "request_token_url": None,
            "access_token_url": "https://login.microsoftonline.com/%s/oauth2/token" % os.environ["AZURE_TENANT_ID"],
            "authorize_url": "https://login.microsoftonline.com/%s/oauth2/authorize" % os.environ["AZURE_TENANT_ID"],
        },
    },
]
SECURITY_MANAGER_CLASS = AzureCustomSecurity
