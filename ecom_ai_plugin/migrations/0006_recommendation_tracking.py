from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("ecom_ai_plugin", "0005_review_intelligence"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecommendationStat",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField()),
                ("widget", models.CharField(max_length=32)),
                ("strategy", models.CharField(max_length=32)),
                ("impressions", models.PositiveBigIntegerField(default=0)),
                ("clicks", models.PositiveBigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "recommendation click-through",
                "verbose_name_plural": "recommendation click-through",
                "ordering": ["-day", "widget", "strategy"],
                "constraints": [
                    models.UniqueConstraint(fields=("day", "widget", "strategy"), name="ecom_ai_recommendation_stat_unique")
                ],
            },
        ),
    ]
