"""The demo's schools, made as `sencohub add-school` makes a school, marked as the demo's own."""

from sencohub.schools.models import School
from sencohub.schools.services import school_create


def demo_school(urn: str, name: str, phase: str, la, trust) -> School:
    return school_create(
        urn=urn,
        name=name,
        phase=phase,
        la_code=la.code,
        la_name=la.name,
        trust=trust.name,
        shares_with_local_authority=True,
        is_demo=True,
    )
