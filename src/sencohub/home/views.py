from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from sencohub.pupils.selectors import children_for_user
from sencohub.schools.navigation import school_nav
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import memberships_for_user, schools_for_user


@login_required
def home(request):
    """Where each person starts: their schools, and for each the pages their roles open."""
    cards = [
        {"school": school, "links": school_nav(request, school)} for school in schools_for_user(request.user)
    ]
    has_children = children_for_user(request.user).exists()
    if has_children and not any(card["links"] for card in cards):
        return redirect("family_home")
    if len(cards) == 1 and cards[0]["links"] and request.GET.get("stay") is None:
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
    }
    return render(request, "home/home.html", context)


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links to; the icon itself is a static file."""
    return redirect(static("sencohub/favicon.ico"), permanent=True)
