from django.urls import path

from casework.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.security, name="security"),
    path("verify/", views.mfa_verify, name="mfa_verify"),
    path("two-step/", views.mfa_setup, name="mfa_setup"),
    path("two-step/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("two-step/off/", views.mfa_disable, name="mfa_disable"),
    path("sign-out-everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/<int:pk>/unlock/", views.unlock, name="unlock"),
    path("lockouts/<int:pk>/reset-two-step/", views.mfa_reset, name="mfa_reset"),
]
