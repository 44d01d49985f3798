"""Saleor's ``account.User`` in miniature: ``AbstractBaseUser`` and no ``django.contrib.auth`` app."""
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models


class Customer(AbstractBaseUser):
    email = models.EmailField(unique=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)

    USERNAME_FIELD = "email"
    objects = BaseUserManager()

    class Meta:
        app_label = "authless"
