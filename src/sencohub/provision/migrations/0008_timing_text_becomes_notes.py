"""The free-text timing becomes notes about timing; the days, start time and minutes are the timetable.

No row changes: each provision's old text stays, word for word, as its notes, and each keeps its sessions a week.
A provision with days keeps its figure even where it differs from its number of days, and one with a figure but
no days keeps that figure, so every cost on the map is what it was. The figure follows the days from the first
time someone changes them (provision.services.provision_update).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("provision", "0007_provisions_name_the_staff_who_run_them"),
    ]

    operations = [
        migrations.AlterField(
            model_name="provision",
            name="when",
            field=models.CharField(
                blank=True,
                help_text="Anything the days, start time and minutes do not say, for example the room or which week.",
                max_length=200,
                verbose_name="notes about timing",
            ),
        ),
    ]
