"""Steps many browser tests share."""
from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait


def log_in(browser, username: str, password: str, path: str = "/accounts/login/") -> None:
    """Submit a login form and wait for the next page: under load it can take seconds."""
    browser.get(browser.live_server_url + path)
    browser.find_element(By.NAME, "username").send_keys(username)
    field = browser.find_element(By.NAME, "password")
    field.send_keys(password)
    field.submit()
    WebDriverWait(browser, 30).until(expected_conditions.staleness_of(field))


def admin_login(browser, username: str = "boss", password: str = "boss-password-1") -> None:
    """A new superuser, signed in to the admin."""
    get_user_model().objects.create_superuser(username, f"{username}@example.com", password)
    log_in(browser, username, password, path="/admin/login/")
    WebDriverWait(browser, 30).until(lambda b: "Site administration" in b.page_source)


def eventually(check, timeout: float = 10):
    """The first true value of ``check()`` within ``timeout`` seconds (a beacon reaches the server later)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("not recorded in time")
