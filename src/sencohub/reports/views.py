"""Pages and downloads that gather more than one domain."""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from sencohub.accounts.reauth import require_recent_confirmation
from sencohub.documents.services import document_response
from sencohub.ehcp.selectors import assessment_request_for_user
from sencohub.kernel import audit, tables
from sencohub.kernel.files import attachment
from sencohub.pupils.selectors import school_and_pupil_for_user
from sencohub.reports import census, evidence
from sencohub.reports.overview import overview_figures
from sencohub.schools.navigation import school_context
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import school_for_user, user_can


@login_required
def evidence_download(request, urn, upn, request_id, fmt):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.VIEW_EHC)
    record = assessment_request_for_user(request.user, school, pupil, request_id)
    return document_response(
        request=request,
        school=school,
        kind=evidence.EVIDENCE_PACK,
        context=evidence.evidence_pack_context(record),
        fmt=fmt,
        name=f"evidence-{pupil.full_name}"
        + (f"-{started:%Y-%m-%d}" if (started := record.sent_on or record.received_on) else ""),
    )


@login_required
def overview(request, urn):
    """The SENCo's and the head's start page: what needs doing this fortnight, and what is missing."""
    school = school_for_user(request.user, urn, Action.VIEW_OVERVIEW)
    figures = overview_figures(user=request.user, school=school, today=timezone.localdate())
    # A head reads the same lists, and each name leads to a page they may open rather than a form they may not.
    context = school_context(
        request,
        school,
        "overview",
        can_edit_support=user_can(request.user, Action.EDIT_SUPPORT, school),
        can_edit_register=user_can(request.user, Action.EDIT_REGISTER, school),
        **figures,
    )
    return render(request, "reports/overview.html", context)


@login_required
def census_export(request, urn, fmt):
    school = school_for_user(request.user, urn, Action.EXPORT)
    if fmt not in ("csv", "json"):
        raise Http404
    require_recent_confirmation(request)
    rows = census.census_rows(school=school)
    # The rows are read as values, not pupils: name each pupil on roll as read (kernel.audit).
    audit.pupils_read(census.census_pupil_ids(school=school), actor=request.user)
    filename = f"census-sen-{school.urn}.{fmt}"
    if fmt == "json":
        return attachment(json.dumps(rows, indent=2), content_type="application/json", filename=filename)
    return attachment(census.census_csv(rows), content_type=tables.CSV_TYPE, filename=filename)
