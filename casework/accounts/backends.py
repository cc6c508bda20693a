"""The lockout check in front of the password check."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' backend, except for ``authenticate()`` calls without an HTTP request.

    Management commands and scripts authenticate without a request; there is no sign-in
    form to protect there, so they skip the lockout check instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
