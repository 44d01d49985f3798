import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from ecom_ai_plugin.models import Interaction
from ecom_ai_plugin.services.recommendations.interactions import forget_customer, guest_customer_key, link_customer, record_order
from tests.factories import make_order, make_product

pytestmark = pytest.mark.django_db


def test_an_order_becomes_purchases_once():
    tent, socks = make_product("Tent"), make_product("Socks")
    user = get_user_model().objects.create_user("ann", "ann@example.com", "x")
    order = make_order(customer=user, products=[tent, socks, tent])
    assert record_order(str(order.pk)) == 2
    assert record_order(str(order.pk)) == 2  # idempotent
    rows = Interaction.objects.filter(source_key=str(order.pk))
    assert {(r.product_key, r.quantity, r.customer_key) for r in rows} == {
        (str(tent.pk), 4, str(user.pk)),
        (str(socks.pk), 2, str(user.pk)),
    }


def test_cancelled_and_deleted_orders_leave_no_purchases():
    order = make_order(products=[make_product()])
    record_order(str(order.pk))
    order.status = "cancelled"
    order.save()
    assert record_order(str(order.pk)) == 0
    assert not Interaction.objects.exists()
    order.status = "paid"
    order.paid_at = timezone.now()
    order.save()
    record_order(str(order.pk))
    key = str(order.pk)
    order.delete()
    assert record_order(key) == 0 and not Interaction.objects.exists()


def test_guest_purchases_move_to_the_new_account_and_are_forgotten_with_it():
    order = make_order(email="New.Buyer@example.com", products=[make_product()])
    record_order(str(order.pk))
    assert Interaction.objects.get().customer_key == guest_customer_key("new.buyer@example.com")
    user = get_user_model().objects.create_user("newbuyer", "new.buyer@example.com", "x")
    assert link_customer(str(user.pk)) == 1
    assert Interaction.objects.get().customer_key == str(user.pk)
    assert forget_customer(str(user.pk)) == 1
    assert not Interaction.objects.exists()


def test_guest_key_reveals_no_address():
    key = guest_customer_key("someone@example.com")
    assert "someone" not in key and key.startswith("email:") and len(key) <= 64


def test_many_orders_are_recorded_in_one_go_as_one_at_a_time_would():
    from ecom_ai_plugin.hosts import get_host
    from ecom_ai_plugin.services.recommendations.interactions import record_orders

    tent, socks = make_product("Tent"), make_product("Socks")
    user = get_user_model().objects.create_user("bob", "bob@example.com", "x")
    kept = make_order(customer=user, products=[tent, socks])
    cancelled = make_order(customer=user, products=[socks], status="cancelled")
    record_order(str(cancelled.pk))
    Interaction.objects.create(customer_key=str(user.pk), product_key=str(tent.pk), type="purchase", source_key=str(cancelled.pk))  # stale
    host = get_host()
    assert record_orders([(str(order.pk), host.get_order(str(order.pk))) for order in (kept, cancelled)] + [("gone", None)]) == 2
    assert sorted(Interaction.objects.values_list("source_key", "product_key")) == sorted([(str(kept.pk), str(tent.pk)), (str(kept.pk), str(socks.pk))])
    assert record_orders([]) == 0
