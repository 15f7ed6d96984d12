from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.models import Authenticator

from sencohub.accounts.reauth import confirmed_recently
from sencohub.accounts.services import api_tokens_revoke_all


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """Schools add their own staff (`sencohub add-user`); nobody signs themselves up."""
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Everyone must enrol an authenticator straight after their first password sign-in; asking for the
        # password again at that moment adds nothing. Changing or removing an existing one still asks.
        if app == "allauth.mfa":
            user = getattr(context.request, "user", None)
            if (
                user is not None
                and user.is_authenticated
                and not Authenticator.objects.filter(user=user).exists()
            ):
                return False
        # Signing in or confirming within the last 15 minutes counts (accounts.reauth), on allauth's own pages
        # too: someone who has just chosen a password and set up an authenticator is not asked again for the
        # recovery codes a minute later.
        if confirmed_recently(context.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def reauthenticate(self, user, password: str) -> bool:
        # allauth looks the address up among its own EmailAddress rows, which people added by a school do not
        # have; the sign-in address is the user's email. Going through authenticate() keeps lock-out counting.
        confirmed = self.authenticate(context.request, email=user.email, password=password)
        return confirmed is not None and confirmed.pk == user.pk

    def set_password(self, user, password: str) -> None:
        """A password change, reset or first password also revokes the person's API tokens: a token made
        before may be in the hands of whoever knew the old password."""
        super().set_password(user, password)
        api_tokens_revoke_all(user=user)
