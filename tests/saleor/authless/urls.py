"""Saleor's urlconf has nothing of the plugin's: it is reached through the plugin webhook only."""
urlpatterns: list = []
