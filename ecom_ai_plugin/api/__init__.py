"""The plugin's REST API (Django REST framework), for staff tools and headless dashboards."""
