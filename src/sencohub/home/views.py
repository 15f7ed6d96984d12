from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from sencohub.home.dashboard import trust_dashboard
from sencohub.pupils.selectors import children_for_user
from sencohub.schools.models import Role
from sencohub.schools.navigation import school_nav
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import memberships_for_user, schools_for_user

# Where each role starts, most senior first: a person with several roles lands on the first they hold. None is
# this page itself (the trust SEND lead's dashboard of the trust's schools).
LANDING = [
    (Role.SENCO, "overview"),
    (Role.DEPUTY_SENCO, "overview"),
    (Role.HEAD, "overview"),
    (Role.TRUST_SEND_LEAD, None),
    (Role.SEND_ADMIN, "overview"),
    (Role.TEACHER, "my_pupils"),
    (Role.TEACHING_ASSISTANT, "my_pupils"),
]


def landing(user) -> tuple[bool, str | None]:
    """(found, address) for the person's most senior role: an address when that role is held in one school, None
    to stay here (a trust SEND lead, or one role held in several schools); found is False when no role has a
    start page of its own."""
    memberships = memberships_for_user(user)
    for role, url_name in LANDING:
        held = {m.school for m in memberships if m.role == role}
        if not held:
            continue
        if url_name is None or len(held) > 1:
            return True, None
        return True, reverse(url_name, args=[held.pop().urn])
    return False, None


@login_required
def home(request):
    """Where each person starts: the page of their most senior role, or their schools and the pages each opens."""
    stay = request.GET.get("stay") is not None
    found, address = landing(request.user)
    if address and not stay:
        return redirect(address)
    cards = [
        {"school": school, "links": school_nav(request, school)} for school in schools_for_user(request.user)
    ]
    has_children = children_for_user(request.user).exists()
    if not found and not stay:
        if has_children and not any(card["links"] for card in cards):
            return redirect("family_home")
        if len(cards) == 1 and cards[0]["links"]:
            return redirect(cards[0]["links"][0]["url"])
    roles = sorted({m.get_role_display() for m in memberships_for_user(request.user)})
    across = len([c for c in cards if any(link["key"] == "compliance" for link in c["links"])]) > 1
    sencos_across = schools_for_user(request.user, Action.VIEW_WORKFORCE, area=True).count() > 1
    context = {
        "cards": cards,
        "roles": roles,
        "compliance_across": across,
        "has_children": has_children,
        "sencos_across": sencos_across,
        "dashboard": trust_dashboard(user=request.user, today=timezone.localdate()),
    }
    return render(request, "home/home.html", context)


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links to; the icon itself is a static file."""
    return redirect(static("sencohub/favicon.ico"), permanent=True)
