"""Django's loaddata, writing no audit entries of its own: a restored dump carries its own audit trail.

Raw saves are skipped by AUDITLOG_DISABLE_ON_RAW_SAVE; many-to-many rows (a teacher's classes) are set after the
raw save and would still be logged, as actorless changes nobody made, without this."""

from auditlog.context import disable_auditlog
from django.core.management.commands import loaddata


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        with disable_auditlog():
            return super().handle(*fixture_labels, **options)
