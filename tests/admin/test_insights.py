"""The insights page in the admin: who may see it, bad filters, CSV, the refresh button."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from ecom_ai_plugin.models import Job, ProductInsight, SalesDay
from ecom_ai_plugin.services.insights.refresh import refresh_insights
from tests.conftest import requires_statsforecast
from tests.insights_shop import make_catalog, write_history

pytestmark = pytest.mark.django_db
PAGE = "admin:ecom_ai_plugin_productinsight_changelist"


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_user("analyst", "analyst@example.com", "pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_productinsight"))
    client.force_login(user)
    return user


@requires_statsforecast
def test_the_page_shows_every_panel_with_its_csv(client, staff):
    products = make_catalog({"Coffee": [("Beans", 4)], "Garden": [("Seeds", 100)]})
    write_history({products["Beans"]: 5.0, products["Seeds"]: 1.0}, weeks=12)
    refresh_insights()
    response = client.get(reverse(PAGE))
    assert response.status_code == 200
    html = response.content.decode()
    for slug in ("units", "revenue", "categories", "movers", "forecast", "stock", "aspects", "click_through", "search"):
        assert f'id="ecom-ai-panel-{slug}"' in html
        assert reverse("admin:ecom_ai_plugin_productinsight_export", args=[slug]) in html
    assert html.count('<svg class="ecom-ai-chart"') == 9
    assert "Refresh the insights now" not in html  # viewing is not changing
    csv = client.get(reverse("admin:ecom_ai_plugin_productinsight_export", args=["stock"]))
    assert csv["Content-Type"].startswith("text/csv") and "attachment" in csv["Content-Disposition"]
    assert csv.content.decode().splitlines()[0] == "product,name,category,stock,forecast units/week,days of stock,when"
    assert "Beans" in csv.content.decode()
    product = client.get(reverse(PAGE), {"forecast": str(products["Beans"].pk)})
    assert "Forecast units per week: Beans" in product.content.decode()


@pytest.mark.parametrize("query", [{"start": "not-a-date"}, {"by": "year"}, {"start": "2026-05-01", "end": "2026-01-01"}])
def test_bad_filters_are_a_400_with_the_reason(client, staff, query):
    response = client.get(reverse(PAGE), query)
    assert response.status_code == 400
    assert 'id="ecom-ai-insights-error"' in response.content.decode()
    export = client.get(reverse("admin:ecom_ai_plugin_productinsight_export", args=["units"]), query)
    assert export.status_code == 400


def test_unknown_export_and_missing_permission(client, staff):
    assert client.get(reverse("admin:ecom_ai_plugin_productinsight_export", args=["nope"])).status_code == 400
    staff.user_permissions.clear()
    assert client.get(reverse(PAGE)).status_code == 403
    client.logout()
    assert client.get(reverse(PAGE)).status_code == 302  # to the login page


def test_refresh_records_one_job_for_staff_who_may_change(client, staff):
    url = reverse("admin:ecom_ai_plugin_productinsight_refresh")
    assert client.post(url).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="change_productinsight"))
    assert client.get(url).status_code == 405
    assert "Refresh the insights now" in client.get(reverse(PAGE)).content.decode()
    assert client.post(url).status_code == 302
    client.post(url)
    job = Job.objects.get(kind="refresh_insights")
    assert job.requested_by == staff and job.status == "pending"


@requires_statsforecast
def test_the_refresh_job_runs_in_process():
    from ecom_ai_plugin import jobs
    from ecom_ai_plugin.services.insights.refresh import request_refresh

    products = make_catalog({"Coffee": [("Beans", 4)]})
    write_history({products["Beans"]: 3.0}, weeks=6)
    job = request_refresh()
    assert jobs.execute(str(job.pk)) == "succeeded"
    job.refresh_from_db()
    assert job.result["forecasts"]["products"] == 1
    assert SalesDay.objects.exists() and ProductInsight.objects.count() == 1


def suggestion_for(product, category="Garden"):
    from ecom_ai_plugin.models import CategorySuggestion

    return CategorySuggestion.objects.create(
        product_key=str(product.pk), product_name=product.name, current_category="Kitchen", suggested_category=category, confidence=0.87,
        missing_attributes=[{"name": "Weight", "share": 0.8}],
    )


def test_suggestions_are_decided_in_one_click_or_in_bulk(client, staff):
    from shop.models import Category, Product

    from ecom_ai_plugin.models import CategorySuggestion
    from tests.factories import make_product

    Category.objects.create(name="Garden", slug="garden")
    trays = [make_product(f"Seed tray {n}", category="Kitchen") for n in range(3)]
    rows = [suggestion_for(tray) for tray in trays]
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_categorysuggestion", "change_categorysuggestion"]))
    page = client.get(reverse("admin:ecom_ai_plugin_categorysuggestion_changelist"), {"misfiled": "yes"})
    html = page.content.decode()
    assert page.status_code == 200 and html.count('class="button ecom-ai-accept"') == 3 and "87%" in html and "Weight (80%)" in html
    accept = reverse("admin:ecom_ai_plugin_categorysuggestion_accept", args=[rows[0].pk])
    assert client.get(accept).status_code == 405
    assert client.post(accept).status_code == 302
    assert Product.objects.get(pk=trays[0].pk).category.name == "Garden"
    client.post(reverse("admin:ecom_ai_plugin_categorysuggestion_reject", args=[rows[1].pk]))
    response = client.post(
        reverse("admin:ecom_ai_plugin_categorysuggestion_changelist"),
        {"action": "accept_selected", "_selected_action": [str(r.pk) for r in rows]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("1 product(s): moved" in m for m in messages)  # only the open one was left to accept
    assert list(CategorySuggestion.objects.order_by("product_name").values_list("status", flat=True)) == ["accepted", "rejected", "accepted"]
    run = client.post(reverse("admin:ecom_ai_plugin_categorysuggestion_run"))
    assert run.status_code == 302 and Job.objects.filter(kind="suggest_categories").exists()


def test_deciding_needs_the_change_permission(client, staff):
    from tests.factories import make_product

    row = suggestion_for(make_product("Seed tray", category="Kitchen"))
    staff.user_permissions.add(Permission.objects.get(codename="view_categorysuggestion"))
    assert client.post(reverse("admin:ecom_ai_plugin_categorysuggestion_accept", args=[row.pk])).status_code == 403
    assert client.post(reverse("admin:ecom_ai_plugin_categorysuggestion_run")).status_code == 403


def test_staff_start_read_and_stop_an_experiment(client, staff):
    from ecom_ai_plugin.models import Experiment, ExperimentVisitor

    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_experiment", "add_experiment", "change_experiment"]))
    add = reverse("admin:ecom_ai_plugin_experiment_add")
    response = client.post(add, {"name": "Similar or bought together", "kind": "recommendations", "widget": "similar", "challenger": "bought_together"})
    assert response.status_code == 302
    experiment = Experiment.objects.get()
    assert (experiment.arm_a, experiment.arm_b, experiment.created_by) == ({"widget": "similar"}, {"widget": "bought_together"}, staff)
    again = client.post(add, {"name": "Again", "kind": "recommendations", "widget": "similar", "challenger": "trending"}, follow=True)
    assert "already running" in again.content.decode() and Experiment.objects.count() == 1
    missing = client.post(add, {"name": "No draft", "kind": "copy"})
    assert missing.status_code == 200 and "description draft" in missing.content.decode()
    for data, words in (({"name": "<i>Trending</i>", "widget": "trending", "challenger": "similar"}, "leave out HTML tags"), ({"name": "Same", "widget": "trending", "challenger": "trending"}, "other than the slot")):
        refused = client.post(add, {"kind": "recommendations", **data})
        assert refused.status_code == 200 and words in refused.content.decode()
    assert Experiment.objects.count() == 1
    ExperimentVisitor.objects.bulk_create(
        [ExperimentVisitor(experiment=experiment, visitor=f"{arm}{n}", arm=arm, clicked_at="2026-11-01T00:00Z" if n < (30 if arm == "a" else 80) else None)
         for arm in "ab" for n in range(1000)]
    )
    listing = client.get(reverse("admin:ecom_ai_plugin_experiment_changelist")).content.decode()
    assert "1000 / 1000" in listing and "does better" in listing
    page = client.get(reverse("admin:ecom_ai_plugin_experiment_change", args=[experiment.pk])).content.decode()
    assert "Stop and keep the winner" in page and "8.0%" in page
    stop = reverse("admin:ecom_ai_plugin_experiment_stop", args=[experiment.pk])
    assert client.get(stop).status_code == 405
    assert client.post(stop).status_code == 302
    experiment.refresh_from_db()
    assert (experiment.status, experiment.winner) == ("stopped", "b")
    assert "Stop and keep the winner" not in client.get(reverse("admin:ecom_ai_plugin_experiment_change", args=[experiment.pk])).content.decode()
