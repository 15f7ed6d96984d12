from django.db import migrations, models

# The demo's trust, by the name the demo has always given it (demo.build.DEMO_TRUST).
DEMO_TRUST = "Brookfield Learning Trust (demo)"


def mark_earlier_demo_schools(apps, schema_editor):
    """Schools an earlier `sencohub demo` made, so that it can still replace them."""
    School = apps.get_model("schools", "School")
    School.objects.filter(trust__name=DEMO_TRUST).update(is_demo=True)


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0002_term"),
    ]

    operations = [
        migrations.AddField(
            model_name="school",
            name="is_demo",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark_earlier_demo_schools, migrations.RunPython.noop),
    ]
