from django.db import migrations, models


class Migration(migrations.Migration):
    """Record whether the SENCo is the headteacher, and stop assuming QTS: a SENCo must be a qualified teacher or the
    headteacher (CFA s.67, Regs 49), so neither is taken as true until someone records it. Existing rows keep their
    values."""

    dependencies = [
        ("workforce", "0003_edit_versions_refuse_stale_saves"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="is_head",
            field=models.BooleanField(default=False, verbose_name="is the headteacher"),
        ),
        migrations.AlterField(
            model_name="appointment",
            name="qts",
            field=models.BooleanField(default=False, verbose_name="holds qualified teacher status (QTS)"),
        ),
    ]
