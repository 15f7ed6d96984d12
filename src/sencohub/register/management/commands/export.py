from sencohub.core.commands import Rejected, ReportingCommand
from sencohub.register.exports import census_csv
from sencohub.register.selectors import census_rows
from sencohub.schools.models import School


class Command(ReportingCommand):
    help = "Export data from sencohub. `export census --school URN` gives the SEN fields of the school census."

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        census = kinds.add_parser("census", help="the SEN fields of the school census (CSV, or JSON with --json)")
        census.add_argument("--school", required=True, metavar="URN")
        census.add_argument("--json", action="store_true", help="print the result as JSON on stdout")

    def handle(self, *args, **options):
        if options["kind"] == "census":
            school = School.objects.filter(urn=options["school"]).first()
            if school is None:
                raise Rejected(f"There is no school with URN {options['school']}.")
            rows = census_rows(school=school)
            self.emit(options, rows, census_csv(rows).rstrip("\n"))
