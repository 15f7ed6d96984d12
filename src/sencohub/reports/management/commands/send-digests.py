"""`sencohub send-digests [--date D] [--json]`: email today's digest of statutory dates (run daily by cron)."""

import contextlib
import datetime as dt
import sys

from django.utils import timezone

from sencohub.ehcp.digest import send_digests
from sencohub.kernel.commands import Rejected, ReportingCommand
from sencohub.workforce.warnings import send_qualification_warnings


class Command(ReportingCommand):
    help = (
        "Email each person who acts on EHC work their overdue and due-soon statutory dates (once a day), and warn "
        "the SENCo and headteacher when the SENCo qualification is due within six months or overdue (once each)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--date", metavar="D", help="the day to send for, YYYY-MM-DD (default today)")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise Rejected(f"--date {options['date']!r} is not a date in the form YYYY-MM-DD.") from None
        # With --json, standard output carries only the JSON: an email backend that prints (the console backend
        # of a laptop or the demo) writes to standard error instead.
        quiet = contextlib.redirect_stdout(sys.stderr) if options.get("json") else contextlib.nullcontext()
        with quiet:
            sent = send_digests(today)
            warned = send_qualification_warnings(today)
        data = {
            "date": today.isoformat(),
            "sent": len(sent),
            "recipients": [{"email": s.email, "overdue": s.overdue, "due_soon": s.due_soon} for s in sent],
            "plans_not_recorded": [
                {"email": s.email, "pupils": s.not_recorded} for s in sent if s.not_recorded
            ],
            "qualification_warnings": [
                {
                    "school": w.school,
                    "state": w.state,
                    "complete_by": w.complete_by.isoformat(),
                    "recipients": w.recipients,
                }
                for w in warned
            ],
        }
        self.emit(
            options,
            data,
            f"Sent {len(sent)} digest{'s' if len(sent) != 1 else ''} and {len(warned)} SENCo qualification "
            f"warning{'s' if len(warned) != 1 else ''} for {today:%-d %B %Y}.",
        )
