from allauth.mfa.base.forms import AuthenticateForm


class CodeForm(AuthenticateForm):
    """The second step of signing in, labelled in words people use."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "Authenticator code"
        self.fields["code"].help_text = "The 6-digit code your authenticator app shows for sencohub."
        self.fields["code"].widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})
