"""Storefront forms: every value a shopper sends goes through one of these."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from .cart import MAX_QUANTITY


class AddToCartForm(forms.Form):
    quantity = forms.IntegerField(
        min_value=1,
        max_value=MAX_QUANTITY,
        initial=1,
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_QUANTITY, "class": "qty"}),
    )


class CartLineForm(forms.Form):
    """Quantity of one cart line; 0 removes the line."""

    quantity = forms.IntegerField(
        min_value=0,
        max_value=MAX_QUANTITY,
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_QUANTITY, "class": "qty"}),
    )


class CheckoutForm(forms.Form):
    email = forms.EmailField(help_text="Where we send the order confirmation.")


class SignupForm(UserCreationForm):
    email = forms.EmailField(help_text="Used for order confirmations.")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email address already exists.")
        return email
