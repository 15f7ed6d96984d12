from dataclasses import dataclass

from django.urls import reverse

from sencohub.schools.permissions import Action, role_allows
from sencohub.schools.selectors import roles_in_school


@dataclass(frozen=True)
class Page:
    key: str  # what a view passes as `active`
    label: str
    url_name: str
    actions: tuple[Action, ...]  # shown to anyone whose roles in the school allow any of these


# A school's pages, grouped by the job they are for. The school menu shows a section when the person may open
# any of its pages, and leads to the first of them; the section's pages show beneath it while one is open.
SECTIONS: list[tuple[str, str, tuple[Page, ...]]] = [
    ("overview", "Overview", (Page("overview", "What needs doing", "overview", (Action.VIEW_OVERVIEW,)),)),
    (
        "pupils",
        "Pupils",
        (
            Page("register", "SEN register", "register", (Action.VIEW_REGISTER,)),
            Page("concerns", "Concerns", "concerns", (Action.RAISE_CONCERN, Action.TRIAGE_CONCERN)),
            Page("import", "Import pupils", "pupils_import", (Action.IMPORT_PUPILS,)),
        ),
    ),
    (
        "plans",
        "Plans and reviews",
        (
            Page("my_pupils", "My pupils with SEN", "my_pupils", (Action.RECORD_EVIDENCE,)),
            Page("print", "Print plans", "print_start", (Action.EDIT_SUPPORT,)),
            Page("terms", "Term dates", "terms", (Action.EDIT_SUPPORT,)),
            Page("templates", "Word templates", "document_templates", (Action.MANAGE_DOCUMENTS,)),
        ),
    ),
    (
        "provision",
        "Provision",
        (
            Page("provision", "Provision map", "provision_map", (Action.VIEW_PROVISION,)),
            Page("sessions", "Sessions", "provision_sessions", (Action.TAKE_REGISTER,)),
        ),
    ),
    (
        "statutory",
        "Statutory work",
        (Page("compliance", "Statutory deadlines", "compliance", (Action.VIEW_COMPLIANCE,)),),
    ),
    (
        "staff",
        "Staff",
        (
            Page("workforce", "SENCo", "workforce_school", (Action.VIEW_WORKFORCE,)),
            Page("training", "Staff training", "workforce_training", (Action.MANAGE_TRAINING,)),
            Page("my_training", "My SEND training", "workforce_my_training", (Action.OWN_TRAINING,)),
        ),
    ),
    (
        "reports",
        "Reports",
        (
            Page("figures", "Figures", "figures", (Action.VIEW_FIGURES,)),
            Page("governors", "SENCo summary for governors", "workforce_governors", (Action.VIEW_FIGURES,)),
        ),
    ),
]
SCHOOL_PAGES = [page for _, _, pages in SECTIONS for page in pages]


def _opens(roles: set[str], page: Page) -> bool:
    return any(role_allows(role, action) for role in roles for action in page.actions)


def school_menu(request, school, active: str = "") -> list[dict]:
    """The school menu by job: each section the person's roles there open, with the pages it holds for them."""
    roles = roles_in_school(request.user, school)
    menu = []
    for key, label, pages in SECTIONS:
        links = [
            {
                "key": page.key,
                "label": page.label,
                "url": reverse(page.url_name, args=[school.urn]),
                "active": page.key == active,
            }
            for page in pages
            if _opens(roles, page)
        ]
        if links:
            current = any(link["active"] for link in links)
            menu.append(
                {"key": key, "label": label, "url": links[0]["url"], "active": current, "links": links}
            )
    return menu


def school_nav(request, school, active: str = "") -> list[dict]:
    """Every page of one school the person's roles there open, section by section."""
    return [link for section in school_menu(request, school, active) for link in section["links"]]


def school_context(request, school, active: str, **extra) -> dict:
    menu = school_menu(request, school, active)
    return {
        "school": school,
        "school_menu": menu,
        "school_nav": [link for section in menu for link in section["links"]],
        **extra,
    }
