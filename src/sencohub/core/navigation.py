from django.urls import reverse

from sencohub.schools.permissions import Action
from sencohub.schools.selectors import user_can


def school_nav(request, school, active: str) -> list[dict]:
    """The menu for one school, showing only what the person's roles there allow."""
    items = []

    def add(key, label, url_name, action):
        if user_can(request.user, action, school):
            items.append({"key": key, "label": label, "url": reverse(url_name, args=[school.urn]), "active": key == active})

    add("register", "SEN register", "register", Action.VIEW_REGISTER)
    add("concerns", "Concerns", "concerns", Action.RAISE_CONCERN)
    if not any(i["key"] == "concerns" for i in items):
        add("concerns", "Concerns", "concerns", Action.TRIAGE_CONCERN)
    add("figures", "Figures", "figures", Action.VIEW_FIGURES)
    add("import", "Import pupils", "pupils_import", Action.IMPORT_PUPILS)
    return items


def school_context(request, school, active: str, **extra) -> dict:
    return {"school": school, "school_nav": school_nav(request, school, active), **extra}
