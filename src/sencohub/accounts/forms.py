from allauth.account.forms import LoginForm
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm


class SignInForm(LoginForm):
    """Signing in with an email address and password. The link for a forgotten password follows the button
    (account/login.html) rather than sitting in the password's hint between the two fields, where someone
    tabbing from one field to the next meets it first."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email address"
        self.fields["login"].error_messages["required"] = "Enter your email address"
        self.fields["login"].error_messages["invalid"] = (
            "Enter your email address in the right form, like name@example.com"
        )
        self.fields["password"].help_text = ""
        self.fields["password"].error_messages["required"] = "Enter your password"
        # allauth writes grey hint text inside each box; the label above it already says what to type, and text
        # that vanishes on typing fails people who lose their place (GOV.UK does not use it).
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


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
