"""`sencohub timeline SUBCOMMAND ...`: the statutory date calculator (STATUTORY.md section 12).

Input dates are YYYY-MM-DD. With --json, one JSON object holding only the fields whose inputs were given;
without it, a readable table. Exit 1 with a message on impossible input, 2 on bad usage.
"""

import argparse
import datetime as dt
import re

from django.core.exceptions import ValidationError

from sencohub.kernel.commands import Rejected, ReportingCommand
from sencohub.kernel.dates import RECORD_DATES
from sencohub.statutory import timelines

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SUBCOMMANDS = {
    "ehc-assessment": "dates of an EHC needs assessment, from the day the LA received the request",
    "reassessment": "dates of a re-assessment, from the request",
    "annual-review": "dates of an annual review and the amendments after it",
    "phase-transfer": "when the amended plan naming the new placement is due",
    "appeal": "the last day to appeal to the Tribunal",
    "senco-qualification": "whether a SENCo must gain the qualification, which counts and by when",
}


class Command(ReportingCommand):
    help = (
        "Work out statutory SEND dates (EHC assessments, annual reviews, appeals, the SENCo qualification)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        subparsers = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")

        def sub(name):
            p = subparsers.add_parser(name, help=SUBCOMMANDS[name], description=SUBCOMMANDS[name])
            # --json is accepted after the subcommand too; SUPPRESS keeps it from undoing one given before.
            p.add_argument(
                "--json", action="store_true", default=argparse.SUPPRESS, help="print the result as JSON"
            )
            return p

        p = sub("ehc-assessment")
        p.add_argument("--received", required=True, metavar="D", help="the day the LA received the request")
        p.add_argument("--advice-requested", metavar="D")
        p.add_argument("--draft-sent", metavar="D")

        p = sub("reassessment")
        p.add_argument("--requested", required=True, metavar="D")

        p = sub("annual-review")
        start = p.add_mutually_exclusive_group(required=True)
        start.add_argument("--plan-issued", metavar="D", help="the plan was issued (for its first review)")
        start.add_argument("--last-review", metavar="D", help="the last review meeting")
        p.add_argument("--meeting", metavar="D", help="this review's meeting")
        p.add_argument("--amendments-sent", metavar="D", help="the LA sent its proposed amendments")

        p = sub("phase-transfer")
        p.add_argument("--transfer", required=True, metavar="D", help="the day of the transfer")
        p.add_argument("--to", required=True, choices=["school", "post16"])

        p = sub("appeal")
        p.add_argument("--decision", required=True, metavar="D")
        p.add_argument("--mediation-certificate", metavar="D")

        p = sub("senco-qualification")
        p.add_argument("--appointed", required=True, metavar="D")
        p.add_argument("--previous-senco-months", type=int, default=0, metavar="N")
        p.add_argument("--course", choices=["nasenco", "npq"])
        p.add_argument("--course-start", metavar="D")
        self._qualification_parser = p

    def handle(self, *args, **options):
        name = options["subcommand"]
        if name == "senco-qualification" and (options["course"] is None) != (options["course_start"] is None):
            self._qualification_parser.error("--course and --course-start go together")
        try:
            fields, rules = self.calculate(name, options)
        except timelines.ImpossibleDates as impossible:
            raise Rejected(str(impossible)) from None
        except OverflowError:
            raise Rejected(
                "The dates worked out from these fall outside the calendar: check the dates given."
            ) from None
        self.emit(options, _json_ready(fields), _table(fields, rules))

    def calculate(self, name: str, options: dict) -> tuple[dict, dict]:
        day = lambda option: _date(options, option)  # noqa: E731
        if name == "ehc-assessment":
            dates = timelines.ehc_assessment(day("received"), day("advice_requested"), day("draft_sent"))
            return dates, {k: k for k in dates}
        if name == "reassessment":
            dates = timelines.reassessment(day("requested"))
            return {timelines.REASSESSMENT_FIELDS[k]: v for k, v in dates.items()}, {
                timelines.REASSESSMENT_FIELDS[k]: k for k in dates
            }
        if name == "annual-review":
            dates = timelines.annual_review(
                plan_issued=day("plan_issued"),
                last_review=day("last_review"),
                meeting=day("meeting"),
                amendments_sent=day("amendments_sent"),
            )
            return dates, {k: k for k in dates}
        if name == "phase-transfer":
            dates = timelines.phase_transfer(day("transfer"), options["to"])
            return dates, {k: k for k in dates}
        if name == "appeal":
            dates = timelines.appeal(day("decision"), day("mediation_certificate"))
            return dates, {k: k for k in dates}
        duty = timelines.senco_qualification(
            day("appointed"), options["previous_senco_months"], options["course"], day("course_start")
        )
        return duty.as_dict(), {"complete_by": "complete_by"}


def _date(options: dict, option: str) -> dt.date | None:
    text = options.get(option)
    if text is None:
        return None
    # Checked here rather than by argparse, so that a date that does not exist is rejected input (exit 1).
    flag = "--" + option.replace("_", "-")
    if not ISO_DATE.fullmatch(text):
        _not_a_date(flag, text)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        _not_a_date(flag, text)
    try:
        RECORD_DATES(day)  # the same window as every date field on the pages (kernel/dates.py)
    except ValidationError as outside:
        raise Rejected(f"{flag} {text}: {outside.messages[0]}") from None
    return day


def _not_a_date(flag: str, text: str):
    raise Rejected(
        f"{flag} {text!r} is not a date that exists: give it as YYYY-MM-DD, for example 2026-09-01."
    )


def _json_ready(fields: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in fields.items()}


def _table(fields: dict, rules: dict) -> str:
    lines = []
    for name, value in fields.items():
        rule = timelines.RULES.get(rules.get(name, ""))
        shown = (
            value.isoformat()
            if isinstance(value, dt.date)
            else (
                ", ".join(value)
                if isinstance(value, list)
                else ("yes" if value is True else "no" if value is False else value)
            )
        )
        label = rule.label if rule else name.replace("_", " ").capitalize()
        lines.append(f"{label:<62} {shown}" + (f"   ({rule.rule}; {rule.source})" if rule else ""))
    return "\n".join(lines)
