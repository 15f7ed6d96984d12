import datetime as dt
from argparse import ArgumentTypeError
from pathlib import Path

from sencohub.kernel.commands import Rejected, ReportingCommand
from sencohub.register.mis.applying import pupils_import
from sencohub.register.mis.reading import MAX_FILE_BYTES, MESSAGE_FILE_TOO_LARGE
from sencohub.schools.models import School
from sencohub.statutory import census


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD") from None


def _loss(entry: dict) -> str:
    what = []
    if entry["from"] != entry["to"]:
        what.append(f"{census.PROVISIONS[entry['from']]} → {census.PROVISIONS[entry['to']]}")
    if entry["needs_removed"]:
        what.append("needs removed: " + ", ".join(entry["needs_removed"]))
    plans = [
        name
        for key, name in (("current_ehc_plan", "EHC plan"), ("current_support_plan", "support plan"))
        if entry[key]
    ]
    has = f"; has a current {' and '.join(plans)}" if plans else ""
    return f"  line {entry['line']}, {entry['name']} ({entry['upn']}): {'; '.join(what)}{has}"


class Command(ReportingCommand):
    help = (
        "Import pupils from a school MIS export (CSV or XLSX). A file with any bad row changes nothing; a column "
        "the file does not have changes nothing. A file that would take pupils off the SEN register, move them "
        "from E to K, or remove needs is refused unless --allow-leaving-register is given."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file")
        parser.add_argument("--school", required=True, metavar="URN")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report, changing nothing"
        )
        parser.add_argument(
            "--allow-leaving-register",
            action="store_true",
            help="apply the file even though it takes pupils off the SEN register, moves them from E to K, "
            "or removes needs (each is listed)",
        )
        parser.add_argument(
            "--record-missing-as-left-on",
            type=_date,
            metavar="YYYY-MM-DD",
            help="record every pupil on roll who is not in the file as having left the school on this date",
        )

    def handle(self, *args, **options):
        school = School.objects.filter(urn=options["school"]).first()
        if school is None:
            raise Rejected(f"There is no school with URN {options['school']}.")
        path = Path(options["file"])
        if not path.is_file():
            raise Rejected(f"There is no file at {path}.")
        if path.stat().st_size > MAX_FILE_BYTES:  # refused before it is read into memory
            raise Rejected(f"The file was not imported: nothing has changed. {MESSAGE_FILE_TOO_LARGE}")
        result = pupils_import(
            school=school,
            filename=path.name,
            content=path.read_bytes(),
            dry_run=options["dry_run"],
            allow_leaving_register=options["allow_leaving_register"],
            record_missing_as_left_on=options["record_missing_as_left_on"],
        )
        report = result.as_json()
        losses = [_loss(e) for e in result.leaving_register]
        if result.needs_confirmation:
            leaving = sum(1 for e in result.leaving_register if e["leaves_register"])
            lines = [
                f"The file was not imported: nothing has changed. {leaving} pupil(s) would leave the SEN register; "
                f"{len(losses)} pupil(s) in all would lose SEN status or needs:",
                *losses,
                "Check these in your MIS; if they are right, run again with --allow-leaving-register.",
            ]
            if not options["json"]:
                self.stderr.write("\n".join(lines))
            raise Rejected(lines[0], payload=report)
        if not result.ok:
            lines = [f"The file was not imported: nothing has changed. {len(result.errors)} problem(s):"]
            lines += [f"  line {e.line}, {e.column or 'file'}: {e.message}" for e in result.errors]
            if not options["json"]:
                self.stderr.write("\n".join(lines))
            raise Rejected(lines[0], payload=report)
        verb = "Would import" if options["dry_run"] else "Imported"
        text = [
            f"{verb} {school.name}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged."
        ]
        if result.ignored_columns:
            text.append("Ignored columns (not recognised): " + ", ".join(result.ignored_columns))
        text += result.notes
        if losses:
            text.append(f"Leaving the SEN register or losing SEN status or needs ({len(losses)}):")
            text += losses
        if result.not_in_file:
            left = f" recorded as left on {result.left_on:%d/%m/%Y}" if result.left_on else ""
            text.append(f"On roll but not in the file{left} ({len(result.not_in_file)}):")
            text += [f"  {p['name']} ({p['upn']})" for p in result.not_in_file]
        self.emit(options, report, "\n".join(text))
