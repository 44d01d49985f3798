"""Review intelligence: analyses, sentences with their aspects, product summaries, alerts; who moderated a review."""
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("ecom_ai_plugin", "0004_recommendations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ProductReviewSummary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('product_key', models.CharField(max_length=64, unique=True)),
                ('review_count', models.PositiveIntegerField(default=0)),
                ('average_rating', models.FloatField(blank=True, null=True)),
                ('rating_counts', models.JSONField(blank=True, default=dict)),
                ('sentiment_counts', models.JSONField(blank=True, default=dict)),
                ('aspect_counts', models.JSONField(blank=True, default=dict, help_text='aspect -> {positive, neutral, negative} review counts')),
                ('points', models.JSONField(blank=True, default=list)),
                ('paragraph', models.TextField(blank=True)),
                ('paragraph_report', models.JSONField(blank=True, default=dict)),
                ('computed_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'verbose_name_plural': 'product review summaries',
                'ordering': ['product_key'],
            },
        ),
        migrations.AddField(
            model_name='review',
            name='moderated_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='review',
            name='moderated_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.CreateModel(
            name='ReviewAnalysis',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text_hash', models.CharField(max_length=64)),
                ('language', models.CharField(blank=True, max_length=16)),
                ('sentiment', models.CharField(choices=[('negative', 'Negative'), ('neutral', 'Neutral'), ('positive', 'Positive')], db_index=True, max_length=16)),
                ('sentiment_score', models.FloatField(help_text='-1 (negative) to +1 (positive).')),
                ('sentiment_model', models.CharField(blank=True, max_length=64)),
                ('aspect_method', models.CharField(blank=True, help_text='keywords, or keywords and similarity', max_length=32)),
                ('flags', models.JSONField(blank=True, default=list, help_text='link, repetition, shouting, abuse, contact_details, duplicate')),
                ('is_spam_suspect', models.BooleanField(db_index=True, default=False)),
                ('is_abusive', models.BooleanField(db_index=True, default=False)),
                ('analysed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('review', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='analysis', to='ecom_ai_plugin.review')),
            ],
            options={
                'verbose_name_plural': 'review analyses',
            },
        ),
        migrations.CreateModel(
            name='ReviewAlert',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('product_key', models.CharField(db_index=True, max_length=64)),
                ('aspect', models.CharField(max_length=100)),
                ('negative_mentions', models.PositiveIntegerField()),
                ('recent_mentions', models.PositiveIntegerField()),
                ('baseline_share', models.FloatField(blank=True, help_text='Negative share of the aspect before the window.', null=True)),
                ('window_start', models.DateTimeField()),
                ('message', models.TextField()),
                ('examples', models.JSONField(blank=True, default=list)),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('acknowledged_at', models.DateTimeField(blank=True, null=True)),
                ('acknowledged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('acknowledged_at__isnull', True)), fields=('product_key', 'aspect'), name='ecom_ai_review_alert_one_open')],
            },
        ),
        migrations.CreateModel(
            name='ReviewSentence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('index', models.PositiveIntegerField()),
                ('start', models.PositiveIntegerField()),
                ('end', models.PositiveIntegerField()),
                ('text', models.TextField()),
                ('aspect', models.CharField(blank=True, db_index=True, max_length=100)),
                ('aspect_method', models.CharField(blank=True, max_length=16)),
                ('sentiment', models.CharField(choices=[('negative', 'Negative'), ('neutral', 'Neutral'), ('positive', 'Positive')], max_length=16)),
                ('sentiment_score', models.FloatField()),
                ('review', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sentences', to='ecom_ai_plugin.review')),
            ],
            options={
                'ordering': ['review_id', 'index', 'aspect'],
                'indexes': [models.Index(fields=['aspect', 'sentiment'], name='ecom_ai_sentence_aspect_idx')],
                'constraints': [models.UniqueConstraint(fields=('review', 'index', 'aspect'), name='ecom_ai_review_sentence_unique')],
            },
        ),
    ]
