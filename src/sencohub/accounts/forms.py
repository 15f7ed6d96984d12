from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm


class CodeForm(AuthenticateForm):
    """The second step of signing in, labelled in words people use."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "Authenticator code"
        self.fields["code"].help_text = "The 6-digit code your authenticator app shows for sencohub."
        self.fields["code"].widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})


class ReauthCodeForm(ReauthenticateForm):
    """Confirming it's you with a code; allauth's reauthentication form (it records the confirmation), in the
    same words as signing in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "Authenticator code"
        self.fields["code"].help_text = "The 6-digit code your authenticator app shows for sencohub."
        self.fields["code"].widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})
