from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.models import Authenticator


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """Schools add their own staff (`sencohub add-user`); nobody signs themselves up."""
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Everyone must enrol an authenticator straight after their first password sign-in; asking for the
        # password again at that moment adds nothing. Changing or removing an existing one still asks.
        if app == "allauth.mfa":
            user = getattr(context.request, "user", None)
            if user is not None and user.is_authenticated and not Authenticator.objects.filter(user=user).exists():
                return False
        return super().is_reauthentication_required(app=app, **kwargs)
