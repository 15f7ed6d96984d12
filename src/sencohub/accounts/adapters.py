from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Schools add their own staff (`sencohub add-user`); nobody signs themselves up."""

    def is_open_for_signup(self, request) -> bool:
        return False
