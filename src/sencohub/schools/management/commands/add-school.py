from django.core.exceptions import ValidationError

from sencohub.kernel.commands import Rejected, ReportingCommand
from sencohub.schools.models import School
from sencohub.schools.services import school_create


class Command(ReportingCommand):
    help = "Add a school (to start using sencohub without the demo)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--urn", required=True, help="the school's 6-digit URN")
        parser.add_argument("--name", required=True)
        parser.add_argument("--phase", choices=School.Phase.values, default=School.Phase.PRIMARY)
        parser.add_argument("--la-code", help="3-digit local-authority code, for example 801")
        parser.add_argument("--trust", help="the trust's name, if the school is in one")

    def handle(self, *args, **options):
        try:
            school = school_create(
                urn=options["urn"],
                name=options["name"],
                phase=options["phase"],
                la_code=options["la_code"],
                trust=options["trust"],
            )
        except ValidationError as error:
            raise Rejected(" ".join(error.messages)) from None
        data = {
            "urn": school.urn,
            "name": school.name,
            "phase": school.phase,
            "la_code": school.local_authority.code if school.local_authority else None,
            "trust": school.trust.name if school.trust else None,
        }
        self.emit(options, data, f"Added {school.name} (URN {school.urn}).")
