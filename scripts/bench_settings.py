"""Settings of the benchmark run: the production settings plus a bench-only URLconf.

The URLconf (``bench_urls``) serves every project URL and one minimal signed-in view, the
baseline of the page timings; the middleware is the production one, untouched. The server is
reached over plain HTTP on the loopback, so the HTTPS redirect and Secure cookies are off, and
static URLs are not looked up in a manifest (no ``collectstatic`` needed).
"""

from casework.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ACCOUNTS_MFA_REQUIRED = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
