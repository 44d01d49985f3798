"""Saleor's template settings (``saleor/settings.py`` with DEBUG) and its form renderer, for projects shaped like Saleor.

No auth context processor, its two loaders, a marker for a missing
variable; the form renderer reads form templates through them, and Saleor
installs no ``django.forms``, so Django's own form templates are not there.
"""
#: What Saleor's template settings write for a variable a template lacks, when Saleor runs with DEBUG.
MISSING = '<< MISSING VARIABLE "%s" >>'
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "OPTIONS": {
        "debug": True,
        "context_processors": ["django.template.context_processors.debug", "django.template.context_processors.media", "django.template.context_processors.static"],
        "loaders": ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
        "string_if_invalid": MISSING,
    },
}]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
