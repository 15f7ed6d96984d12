from pathlib import Path

from sencohub.kernel.commands import Rejected, ReportingCommand
from sencohub.reports.census import census_csv, census_rows
from sencohub.schools.models import School


class Command(ReportingCommand):
    help = (
        "Export data from sencohub. `export census --school URN` gives the SEN fields of the school census; "
        "`export plans --school URN --format docx|pdf --out DIR` writes each current support plan, named by UPN."
    )

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        census = kinds.add_parser(
            "census", help="the SEN fields of the school census (CSV, or JSON with --json)"
        )
        census.add_argument("--school", required=True, metavar="URN")
        census.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
        plans = kinds.add_parser(
            "plans", help="every current support plan, one Word or PDF file per pupil, named by UPN"
        )
        plans.add_argument("--school", required=True, metavar="URN")
        plans.add_argument("--year-group", metavar="N", default="", help="only this year group (R, 1 to 14)")
        plans.add_argument("--format", required=True, choices=["docx", "pdf"], dest="fmt")
        plans.add_argument(
            "--out", required=True, metavar="DIR", help="the folder to write into (made if missing)"
        )
        plans.add_argument("--json", action="store_true", help="print what was written as JSON on stdout")
        pmap = kinds.add_parser("provision-map", help="the costed provision map for this school year")
        pmap.add_argument("--school", required=True, metavar="URN")
        pmap.add_argument("--format", required=True, choices=["json", "csv", "xlsx"], dest="fmt")
        pmap.add_argument("--out", metavar="FILE", help="write to this file (stdout without it)")

    def _school(self, urn: str) -> School:
        school = School.objects.filter(urn=urn).first()
        if school is None:
            raise Rejected(f"There is no school with URN {urn}.")
        return school

    def handle(self, *args, **options):
        school = self._school(options["school"])
        if options["kind"] == "census":
            rows = census_rows(school=school)
            self.emit(options, rows, census_csv(rows).rstrip("\n"))
            return
        if options["kind"] == "provision-map":
            self.export_provision_map(school, options)
            return
        self.export_plans(school, options)

    def export_provision_map(self, school, options):
        import json
        import sys

        from django.utils import timezone

        from sencohub.kernel.tables import Sheet, table_csv, table_xlsx
        from sencohub.provision.costing import provision_map
        from sencohub.provision.exports import map_columns, map_json, map_rows

        pmap = provision_map(school, on=timezone.localdate())
        if options["fmt"] == "json":
            body = (json.dumps(map_json(pmap), indent=2) + "\n").encode()
        elif options["fmt"] == "csv":
            body = table_csv(map_columns(pmap), map_rows(pmap)).encode()
        else:
            body = table_xlsx(Sheet("Provision map", map_columns(pmap), map_rows(pmap)))
        if options.get("out"):
            try:
                Path(options["out"]).write_bytes(body)
            except OSError as problem:
                raise Rejected(f"Cannot write to {options['out']}: {problem.strerror}.") from None
            self.stderr.write(f"Wrote the provision map for {school.name} to {options['out']}.")
        else:
            self.stdout.flush()
            sys.stdout.buffer.write(body)
            sys.stdout.flush()

    def export_plans(self, school, options):
        from sencohub.documents.rendering import TemplateProblem, render_docx, render_pdf
        from sencohub.documents.services import usable_template
        from sencohub.support.documents import SUPPORT_PLAN
        from sencohub.support.printing import contexts_for

        out = Path(options["out"])
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as problem:
            raise Rejected(f"Cannot write to {out}: {problem.strerror}.") from None
        _, items = contexts_for("plans", school, year_group=options["year_group"])
        written = []
        try:
            template = usable_template(school, SUPPORT_PLAN) if options["fmt"] == "docx" else None
            for upn, context in items:
                body = render_docx(template, context) if template else render_pdf(SUPPORT_PLAN, context)
                path = out / f"{upn}.{options['fmt']}"
                path.write_bytes(body)
                written.append(str(path))
        except TemplateProblem as problem:
            raise Rejected(
                f"The school's Word template for support plans cannot be used: {problem}"
            ) from None
        self.emit(
            options,
            {"school": school.urn, "written": len(written), "files": written},
            f"Wrote {len(written)} support plan{'s' if len(written) != 1 else ''} to {out}.",
        )
