from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from ecom_ai_plugin.admin.products import GenerateCopyAdminMixin

from .models import Category, Order, OrderLine, Product, ProductAttributeValue


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


class ProductAttributeValueInline(admin.TabularInline):
    model = ProductAttributeValue
    extra = 1


@admin.register(Product)
class ProductAdmin(GenerateCopyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "category", "price", "currency", "stock", "is_published", "updated_at"]
    list_filter = ["category", "is_published"]
    list_editable = ["is_published"]
    list_select_related = ["category"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    fields = [
        "name", "slug", "category", "description", "seo_title", "seo_description",
        "price", "currency", "stock", "is_published", "created_at", "updated_at",
    ]
    inlines = [ProductAttributeValueInline]


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    raw_id_fields = ["product"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["__str__", "customer", "email", "status", "created_at", "paid_at", "total"]
    list_filter = ["status"]
    list_select_related = ["customer"]
    search_fields = ["email", "customer__username", "customer__email"]
    date_hierarchy = "created_at"
    raw_id_fields = ["customer"]
    inlines = [OrderLineInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Order]:
        # ``total`` sums the lines; prefetch them for the change list.
        return super().get_queryset(request).prefetch_related("lines")
