from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ehcp", "0010_review_amendment_comments"),
    ]

    operations = [
        migrations.AddField(
            model_name="annualreview",
            name="attended",
            field=models.JSONField(
                blank=True, default=list, verbose_name="who attended, ticked from those invited"
            ),
        ),
        migrations.AddField(
            model_name="annualreview",
            name="outcome_progress",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
