from django.db import migrations

# PostgreSQL only: the full-text vector reads the product's name less its brand (the brand's words weigh as the
# attributes' do, as in the in-memory index), so "kettle" ranks kettles before a brand called "Kettle & Crane".
# The brand is the first value of the first brand attribute, as ``ecom_ai_plugin.ml.text.brand_of`` reads it.
BRAND = "coalesce(" + ", ".join(
    f"attributes->'{name}'->>0" for name in ("Brand", "brand", "Manufacturer", "manufacturer", "Maker", "maker")
) + ", '')"
#: a name that is only its brand stays whole
NAME = f"coalesce(nullif(trim(replace(coalesce(name, ''), {BRAND}, ' ')), ''), coalesce(name, ''))"


def full_text(name_expression: str) -> tuple[str, ...]:
    return (
        "DROP INDEX IF EXISTS ecom_ai_searchdoc_fts",
        "ALTER TABLE ecom_ai_plugin_searchdocument DROP COLUMN IF EXISTS search_vector",
        "ALTER TABLE ecom_ai_plugin_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        f"setweight(to_tsvector('english', {name_expression}), 'A') || "
        "setweight(to_tsvector('english', coalesce(category, '')), 'B') || "
        "setweight(to_tsvector('english', coalesce(attributes::text, '')), 'C') || "
        "setweight(to_tsvector('english', coalesce(description, '')), 'D')) STORED",
        "CREATE INDEX ecom_ai_searchdoc_fts ON ecom_ai_plugin_searchdocument USING GIN (search_vector)",
    )


def name_less_brand(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in full_text(NAME):
            schema_editor.execute(statement)


def whole_name(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in full_text("coalesce(name, '')"):
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('ecom_ai_plugin', '0016_experiment_scope'),
    ]

    operations = [
        migrations.RunPython(name_less_brand, whole_name),
    ]
