from pathlib import Path

from sencohub.core.commands import Rejected, ReportingCommand
from sencohub.pupils.importing import pupils_import
from sencohub.schools.models import School


class Command(ReportingCommand):
    help = "Import pupils from a school MIS export (CSV or XLSX). A file with any bad row changes nothing."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file")
        parser.add_argument("--school", required=True, metavar="URN")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, changing nothing")

    def handle(self, *args, **options):
        school = School.objects.filter(urn=options["school"]).first()
        if school is None:
            raise Rejected(f"There is no school with URN {options['school']}.")
        path = Path(options["file"])
        if not path.is_file():
            raise Rejected(f"There is no file at {path}.")
        result = pupils_import(
            school=school, filename=path.name, content=path.read_bytes(), dry_run=options["dry_run"]
        )
        if not result.ok:
            lines = [f"The file was not imported: nothing has changed. {len(result.errors)} problem(s):"]
            lines += [f"  line {e.line}, {e.column or 'file'}: {e.message}" for e in result.errors]
            if not options["json"]:
                self.stderr.write("\n".join(lines))
            raise Rejected(lines[0], payload=result.as_json())
        verb = "Would import" if options["dry_run"] else "Imported"
        self.emit(
            options,
            result.as_json(),
            f"{verb} {school.name}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged.",
        )
