"""The JSON API under /api/v1/: the same scoping as the pages, token or session authentication."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status
from ninja.security import HttpBearer, SessionAuth
from pydantic import AfterValidator

from sencohub.accounts.middleware import user_needs_two_factor
from sencohub.accounts.services import TOKEN_DAYS_DEFAULT, TOKEN_DAYS_MAX, api_token_check
from sencohub.api.tokens import READ_ONLY, may_hold_api_token
from sencohub.kernel.audit import act_as
from sencohub.kernel.clientip import client_ip
from sencohub.kernel.versions import Duplicate
from sencohub.pupils.selectors import pupil_for_user, pupils_for_user
from sencohub.register import selectors, services
from sencohub.register.models import Concern, Need
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import school_for_user, schools_for_user


class BearerToken(HttpBearer):
    """A personal token: live (not revoked or expired), its holder still staff, and for a change, a token that
    may write. Each accepted use is noted on the token."""

    def authenticate(self, request, token):
        check = api_token_check(token, ip=client_ip(request))
        if check.expired_on is not None:
            raise HttpError(401, EXPIRED.format(date=f"{check.expired_on:%-d %B %Y}"))
        record = check.record
        if record is None or not may_hold_api_token(record.user):
            return None
        if request.method not in SAFE_METHODS and not record.may_write:
            raise HttpError(403, READ_ONLY)
        request.user = record.user
        act_as(
            record.user
        )  # auditlog's middleware ran before the token was read: name the person on this call's changes
        return record.user


SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
EXPIRED = "This token expired on {date}. Make a new one on the API tokens page."


class TwoFactorSession(SessionAuth):
    """The signed-in browser session, but only once the person has a second factor."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None or user_needs_two_factor(user):
            return None
        return user


api = NinjaAPI(
    title="sencohub API",
    version="1",
    description=(
        "SEN register data, scoped to what the caller may see. Dates are YYYY-MM-DD.\n\n"
        "Send a personal token from the *API tokens* page as `Authorization: Bearer TOKEN`. Only staff who "
        "work with the SEN register may make one (not parents, governors or external professionals). "
        f"A token lasts {TOKEN_DAYS_DEFAULT} days unless its maker chooses otherwise, and at most "
        f"{TOKEN_DAYS_MAX} days; an expired token gets 401. A read-only token gets 403 for any POST, PUT, "
        "PATCH or DELETE; a read-and-write token may also raise concerns. Changing or resetting the password "
        "revokes all of a person's tokens. Each use is recorded on the token (when, from where, how often)."
    ),
    urls_namespace="api",
    auth=[BearerToken(), TwoFactorSession()],
)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found"}, status=404)


@api.exception_handler(ValidationError)
def rejected(request, exc):
    return api.create_response(
        request, {"detail": exc.message_dict if hasattr(exc, "error_dict") else exc.messages}, status=422
    )


# Paging: at most 1,000 rows a page, and an offset no school could reach (SQLite cannot even count past 2**63).
MAX_LIMIT = 1_000
MAX_OFFSET = 10_000_000


class Paging(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


class SchoolOut(Schema):
    urn: str
    name: str
    phase: str


class NeedOut(Schema):
    sen_type: str
    rank: int
    area_of_need: str
    notes: str


class StatusOut(Schema):
    provision: str
    start_date: dt.date
    end_date: dt.date | None
    reason: str
    parents_informed_on: dt.date | None


class PupilOut(Schema):
    upn: str
    surname: str
    forename: str
    date_of_birth: dt.date
    year_group: str
    class_name: str | None
    sen_provision: str
    pupil_premium: bool
    eal: bool
    fsm: bool
    looked_after: bool
    needs: list[NeedOut]

    @staticmethod
    def resolve_class_name(obj):
        return obj.class_group.name if obj.class_group_id else None

    @staticmethod
    def resolve_needs(obj):
        return list(obj.needs.all())


class PupilDetailOut(PupilOut):
    sen_history: list[StatusOut]

    @staticmethod
    def resolve_sen_history(obj):
        return list(obj.sen_statuses.all())


class NeedRowOut(NeedOut):
    upn: str

    @staticmethod
    def resolve_upn(obj):
        return obj.pupil.upn


class ConcernOut(Schema):
    id: int
    upn: str
    raised_at: dt.datetime
    raised_by: str | None
    what_seen: str
    evidence: str
    tried: str
    status: str
    triage_note: str

    @staticmethod
    def resolve_upn(obj):
        return obj.pupil.upn

    @staticmethod
    def resolve_raised_by(obj):
        return str(obj.raised_by) if obj.raised_by else None


def no_nul(text: str) -> str:
    if "\x00" in text:
        raise ValueError("Text cannot contain a NUL character.")
    return text


Text = Annotated[str, AfterValidator(no_nul)]


class ConcernIn(Schema):
    upn: Text
    what_seen: Text
    evidence: Text = ""
    tried: Text = ""


class Message(Schema):
    detail: str


def _pupils(request, urn):
    """The pupils of one school that the caller may see (404 for a school outside their reach)."""
    school = school_for_user(request.auth, urn, Action.VIEW_REGISTER)
    return pupils_for_user(request.auth).filter(school=school)


@api.get("/schools", response=list[SchoolOut], summary="Schools you belong to")
def school_list(request):
    return list(schools_for_user(request.auth))


@api.get("/schools/{urn}/pupils", response=list[PupilOut], summary="Pupils you may see in a school")
@paginate(Paging)
def pupil_list(request, urn: str):
    return selectors.with_register_details(_pupils(request, urn))


@api.get("/schools/{urn}/pupils/{upn}", response=PupilDetailOut, summary="One pupil, with SEN history")
def pupil_detail(request, urn: str, upn: str):
    school = school_for_user(request.auth, urn, Action.VIEW_REGISTER)
    return pupil_for_user(request.auth, school, upn)


@api.get(
    "/schools/{urn}/register", response=list[PupilOut], summary="The SEN register (EHC plan or SEN support)"
)
@paginate(Paging)
def register(
    request,
    urn: str,
    provision: str = "",
    need: str = "",
    area: str = "",
    year_group: str = "",
    class_group: str = "",
    pupil_premium: str = "",
    eal: str = "",
    looked_after: str = "",
):
    school = school_for_user(request.auth, urn, Action.VIEW_REGISTER)
    filters = selectors.RegisterFilters.from_query(
        {
            "provision": provision,
            "need": need,
            "area": area,
            "year_group": year_group,
            "class_group": class_group,
            "pupil_premium": pupil_premium,
            "eal": eal,
            "looked_after": looked_after,
        }
    )
    return selectors.register_for_school(user=request.auth, school=school, filters=filters)


@api.get("/schools/{urn}/needs", response=list[NeedRowOut], summary="Ranked needs of the pupils you may see")
@paginate(Paging)
def need_list(request, urn: str):
    return (
        Need.objects.filter(pupil__in=_pupils(request, urn))
        .select_related("pupil")
        .order_by("pupil__upn", "rank")
    )


@api.get("/schools/{urn}/concerns", response=list[ConcernOut], summary="Concerns about pupils you may see")
@paginate(Paging)
def concern_list(request, urn: str, status: str = ""):
    school = school_for_user(request.auth, urn, Action.VIEW_REGISTER)
    statuses = [status] if status in Concern.Status.values else Concern.Status.values
    return selectors.concerns_for_school(user=request.auth, school=school, statuses=statuses)


@api.post(
    "/schools/{urn}/concerns",
    response={200: ConcernOut, 201: ConcernOut, 422: Message},
    summary="Raise a concern",
)
def concern_create(request, urn: str, payload: ConcernIn):
    school = school_for_user(request.auth, urn, Action.RAISE_CONCERN)
    pupil = pupil_for_user(request.auth, school, payload.upn.strip().upper(), action=Action.RAISE_CONCERN)
    if not payload.what_seen.strip():
        raise HttpError(422, "Describe what you have noticed.")
    try:
        concern = services.concern_raise(
            pupil=pupil,
            by=request.auth,
            what_seen=payload.what_seen,
            evidence=payload.evidence,
            tried=payload.tried,
        )
    except Duplicate as duplicate:
        return Status(
            200, duplicate.existing
        )  # the same concern sent again: the one already raised, not a second
    return Status(201, concern)
