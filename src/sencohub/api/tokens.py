"""The API tokens page: school, trust and LA staff make, see and revoke their own tokens for the JSON API."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sencohub.accounts.models import ApiToken
from sencohub.accounts.reauth import require_recent_confirmation
from sencohub.accounts.services import TOKEN_DAYS_DEFAULT, api_token_create, api_token_revoke
from sencohub.kernel.forms import saved
from sencohub.schools.selectors import reads_register_somewhere

NOT_STAFF = (
    "API tokens are for staff who work with the SEN register: a SENCo, SEND administrator, headteacher, "
    "teacher, teaching assistant, trust SEND lead or local-authority officer."
)
READ_ONLY = (
    "This token may only read. Make a token that may read and write on the API tokens page to raise concerns "
    "or change records."
)


def may_hold_api_token(user) -> bool:
    """Staff only: the API serves people who read the register. Parents, governors, external professionals
    and people with no role in a school, trust or LA have nothing a token could fetch, so none is made."""
    return reads_register_somewhere(user)


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is this token for?", max_length=100, help_text="For example: MIS sync script."
    )
    days = forms.TypedChoiceField(
        label="How long should it last?",
        choices=[(30, "30 days"), (90, "90 days"), (180, "6 months (180 days)"), (365, "1 year (365 days)")],
        coerce=int,
        initial=TOKEN_DAYS_DEFAULT,
        widget=forms.RadioSelect,
        help_text="It stops working after this. The shorter, the safer.",
    )
    scope = forms.ChoiceField(
        label="What may it do?",
        choices=[
            (ApiToken.Scope.READ, "Read only: the register, pupils, needs and concerns you can see"),
            (ApiToken.Scope.READ_WRITE, "Read and write: also raise concerns"),
        ],
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    allowed = may_hold_api_token(request.user)
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied(NOT_STAFF)
        require_recent_confirmation(request)
    form = TokenForm(request.POST or None)
    new_token = None

    def create(f):
        d = f.cleaned_data
        return api_token_create(user=request.user, name=d["name"], days=d["days"], scope=d["scope"])

    if saved(request, form, create, ""):  # no message: the page shows the new token, once
        _, new_token = form.saved_as
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True)
    context = {
        "form": form,
        "tokens": tokens,
        "new_token": new_token,
        "allowed": allowed,
        "not_staff": NOT_STAFF,
    }
    return render(request, "accounts/api_tokens.html", context)


@login_required
@require_POST
def api_token_revoke_view(request, token_id):
    if not ApiToken.objects.filter(user=request.user, pk=token_id).exists():
        raise Http404  # someone else's token is not found, as anything outside a person's reach
    if api_token_revoke(user=request.user, token_id=token_id):
        messages.success(request, "The token was revoked; it no longer works.")
    return redirect("api_tokens")
