from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("ecom_ai_plugin", "0005_review_intelligence"),
    ]

    operations = []
