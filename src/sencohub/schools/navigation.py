from django.urls import reverse

from sencohub.schools.permissions import Action
from sencohub.schools.selectors import user_can

# A school's pages, each shown to anyone whose roles there allow any of its actions.
SCHOOL_PAGES = [
    ("overview", "Overview", "overview", (Action.VIEW_OVERVIEW,)),
    ("register", "SEN register", "register", (Action.VIEW_REGISTER,)),
    ("my_pupils", "My pupils with SEN", "my_pupils", (Action.RECORD_EVIDENCE,)),
    ("sessions", "Sessions", "provision_sessions", (Action.TAKE_REGISTER,)),
    ("concerns", "Concerns", "concerns", (Action.RAISE_CONCERN, Action.TRIAGE_CONCERN)),
    ("figures", "Figures", "figures", (Action.VIEW_FIGURES,)),
    ("compliance", "Statutory deadlines", "compliance", (Action.VIEW_COMPLIANCE,)),
    ("import", "Import pupils", "pupils_import", (Action.IMPORT_PUPILS,)),
    ("provision", "Provision map", "provision_map", (Action.VIEW_PROVISION,)),
    ("print", "Print plans", "print_start", (Action.EDIT_SUPPORT,)),
    ("terms", "Term dates", "terms", (Action.EDIT_SUPPORT,)),
    ("templates", "Word templates", "document_templates", (Action.MANAGE_DOCUMENTS,)),
    ("workforce", "SENCo", "workforce_school", (Action.VIEW_WORKFORCE,)),
    ("training", "Staff training", "workforce_training", (Action.MANAGE_TRAINING,)),
    ("my_training", "My SEND training", "workforce_my_training", (Action.OWN_TRAINING,)),
    ("governors", "SENCo summary for governors", "workforce_governors", (Action.VIEW_FIGURES,)),
]


def school_nav(request, school, active: str = "") -> list[dict]:
    """The menu for one school, showing only what the person's roles there allow."""
    return [
        {"key": key, "label": label, "url": reverse(url_name, args=[school.urn]), "active": key == active}
        for key, label, url_name, actions in SCHOOL_PAGES
        if any(user_can(request.user, action, school) for action in actions)
    ]


def school_context(request, school, active: str, **extra) -> dict:
    return {"school": school, "school_nav": school_nav(request, school, active), **extra}
