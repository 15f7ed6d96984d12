from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from sencohub.schools.permissions import Action
from sencohub.schools.selectors import memberships_for_user, schools_for_user, user_can


@login_required
def home(request):
    """Where each person starts: their schools, and for each the pages their roles open."""
    schools = list(schools_for_user(request.user))
    cards = []
    for school in schools:
        links = []
        if user_can(request.user, Action.VIEW_REGISTER, school):
            links.append(("SEN register", reverse("register", args=[school.urn])))
        if user_can(request.user, Action.RAISE_CONCERN, school) or user_can(request.user, Action.TRIAGE_CONCERN, school):
            links.append(("Concerns", reverse("concerns", args=[school.urn])))
        if user_can(request.user, Action.VIEW_FIGURES, school):
            links.append(("Figures", reverse("figures", args=[school.urn])))
        if user_can(request.user, Action.IMPORT_PUPILS, school):
            links.append(("Import pupils", reverse("pupils_import", args=[school.urn])))
        cards.append({"school": school, "links": links})
    if len(cards) == 1 and cards[0]["links"] and request.GET.get("stay") is None:
        return redirect(cards[0]["links"][0][1])
    roles = sorted({m.get_role_display() for m in memberships_for_user(request.user)})
    return render(request, "core/home.html", {"cards": cards, "roles": roles})


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
