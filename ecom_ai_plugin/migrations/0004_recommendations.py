import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("ecom_ai_plugin", "0003_model_versions"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecommendationList",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("widget", models.CharField(max_length=32)),
                ("subject_key", models.CharField(help_text="Customer, product or category the list is for.", max_length=255)),
                ("items", models.JSONField(blank=True, default=list)),
                ("computed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "model_version",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="recommendation_lists",
                        to="ecom_ai_plugin.modelversion",
                    ),
                ),
            ],
            options={
                "ordering": ["widget", "subject_key"],
                "indexes": [models.Index(fields=["subject_key"], name="ecom_ai_rec_list_subject_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("widget", "subject_key"), name="ecom_ai_recommendation_list_unique")
                ],
            },
        ),
    ]
