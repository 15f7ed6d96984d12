from sencohub.schools.navigation import school_menu
from sencohub.schools.selectors import memberships_for_user, reads_register_somewhere


def navigation(request):
    """The schools a signed-in person belongs to, and which of the header's tools they may use (one query per
    request at most).

    Someone whose only school is one school sees its menu on pages that belong to no school (the calendar feed,
    the statutory dates), so every page they use stays two clicks away; the menu is worked out only when a page
    shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memberships = memberships_for_user(user)
    schools = {m.school_id: m.school for m in memberships if m.school_id}
    only = next(iter(schools.values())) if len(schools) == 1 and len(memberships) == 1 else None
    return {
        "nav_memberships": memberships,
        "nav_may_hold_api_token": reads_register_somewhere(user),
        "nav_own_school": only,
        "nav_own_menu": (lambda: school_menu(request, only)) if only else None,
    }
