"""Pages and downloads that gather more than one domain."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from sencohub.documents.services import document_response
from sencohub.ehcp import milestones
from sencohub.ehcp.models import AssessmentRequest
from sencohub.ehcp.selectors import ehc_scope
from sencohub.pupils.selectors import school_and_pupil_for_user
from sencohub.reports import evidence
from sencohub.schools.permissions import Action


def _request_for(request, school, pupil, request_id) -> AssessmentRequest:
    record = (
        milestones.request_queryset()
        .filter(ehc_scope(request.user, school), pupil=pupil, pk=request_id)
        .first()
    )
    if record is None:
        raise Http404
    return record


@login_required
def evidence_download(request, urn, upn, request_id, fmt):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.VIEW_EHC)
    record = _request_for(request, school, pupil, request_id)
    return document_response(
        request=request,
        school=school,
        kind=evidence.EVIDENCE_PACK,
        context=evidence.evidence_pack_context(record),
        fmt=fmt,
        name=f"evidence-{pupil.full_name}"
        + (f"-{started:%Y-%m-%d}" if (started := record.sent_on or record.received_on) else ""),
    )
