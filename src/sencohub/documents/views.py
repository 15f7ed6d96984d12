"""A school's Word templates: download the one in use, upload an edited one, or go back to the standard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from sencohub.accounts.reauth import confirm_before_upload
from sencohub.documents.forms import TemplateUploadForm
from sencohub.documents.rendering import DOCX_TYPE, KINDS, TemplateProblem
from sencohub.documents.services import (
    kind_or_404,
    school_template,
    template_bytes,
    template_revert,
    template_upload,
)
from sencohub.kernel.files import attachment
from sencohub.kernel.forms import saved
from sencohub.schools.navigation import school_context
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import school_for_user


@login_required
@require_http_methods(["GET", "POST"])
def templates(request, urn, kind_key=None):
    school = school_for_user(request.user, urn, Action.MANAGE_DOCUMENTS)
    forms_by_kind = {key: TemplateUploadForm(prefix=key) for key in KINDS}
    if request.method == "POST" and kind_key:
        kind = kind_or_404(kind_key)
        if confirm := confirm_before_upload(
            request, back_to=reverse("document_templates", args=[school.urn])
        ):
            return confirm
        form = TemplateUploadForm(request.POST, request.FILES, prefix=kind.key)
        forms_by_kind[kind.key] = form

        def save(f):
            upload = f.cleaned_data["file"]
            try:
                template_upload(
                    school=school, kind=kind, filename=upload.name, content=upload.read(), by=request.user
                )
            except TemplateProblem as problem:
                raise ValidationError({"file": str(problem)}) from problem

        if saved(request, form, save, f"Your template for the {kind.title.lower()} is now in use."):
            return redirect("document_templates", school.urn)
    rows = [
        {"kind": kind, "own": school_template(school, kind), "form": forms_by_kind[key]}
        for key, kind in KINDS.items()
    ]
    errors = [row["form"] for row in rows if row["form"].errors]
    context = school_context(request, school, "templates", rows=rows, form=errors[0] if errors else None)
    return render(request, "documents/templates.html", context)


@login_required
def template_download(request, urn, kind_key):
    school = school_for_user(request.user, urn, Action.MANAGE_DOCUMENTS)
    kind = kind_or_404(kind_key)
    return attachment(
        template_bytes(school, kind), content_type=DOCX_TYPE, filename=f"{kind.key}-template.docx"
    )


@login_required
@require_POST
def template_reset(request, urn, kind_key):
    school = school_for_user(request.user, urn, Action.MANAGE_DOCUMENTS)
    kind = kind_or_404(kind_key)
    if template_revert(school=school, kind=kind, by=request.user):
        messages.success(request, f"The standard template for the {kind.title.lower()} is in use again.")
    return redirect("document_templates", school.urn)
