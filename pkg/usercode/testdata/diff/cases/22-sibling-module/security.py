{{IMPORT}}
import jwt


class SiblingSM(BaseSM):
    def get_oauth_user_info(self, provider, resp):
        me = jwt.decode(resp["id_token"], options={"verify_signature": False})
        return {"username": me["preferred_username"], "email": me.get("email", ""), "role_keys": me.get("groups", [])}
