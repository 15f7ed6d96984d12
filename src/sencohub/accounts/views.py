from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sencohub.accounts.models import ApiToken
from sencohub.accounts.services import api_token_create, api_token_revoke


class TokenForm(forms.Form):
    name = forms.CharField(label="What is this token for?", max_length=100, help_text="For example: MIS sync script.")


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _, new_token = api_token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True)
    return render(request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})


@login_required
@require_POST
def api_token_revoke_view(request, token_id):
    if not ApiToken.objects.filter(user=request.user, pk=token_id).exists():
        raise Http404  # someone else's token is not found, as anything outside a person's reach
    if api_token_revoke(user=request.user, token_id=token_id):
        messages.success(request, "The token was revoked; it no longer works.")
    return redirect("api_tokens")
