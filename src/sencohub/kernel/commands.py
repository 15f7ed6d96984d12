"""The shape every reporting `sencohub` subcommand shares (DESIGN.md section 4).

JSON on stdout with --json; exit 0 on success, 1 on rejected input with a message a person can act on,
2 on bad usage (argparse's own exit status).
"""

import json

from django.core.management.base import BaseCommand, CommandError


class Rejected(CommandError):
    """Input the command understood but cannot accept."""

    def __init__(self, message: str, payload: dict | None = None):
        super().__init__(message, returncode=1)
        self.payload = payload


class ReportingCommand(BaseCommand):
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the result as JSON on stdout")

    def emit(self, options, data, text: str | None = None) -> None:
        if options.get("json"):
            self.stdout.write(json.dumps(data, indent=2, default=str))
        elif text is not None:
            self.stdout.write(text)

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except Rejected as rejected:
            if options.get("json"):
                payload = rejected.payload if rejected.payload is not None else {"error": str(rejected)}
                self.stdout.write(json.dumps(payload, indent=2, default=str))
            raise
