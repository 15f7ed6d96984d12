from sencohub.schools.selectors import memberships_for_user


def navigation(request):
    """The schools a signed-in person belongs to, for the header's links (one query per request at most)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_memberships": memberships_for_user(user)}
