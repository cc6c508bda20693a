from django.urls import path

from casework.console import views

app_name = "console"

urlpatterns = [
    path("", views.console_home, name="home"),
    # People and roles
    path("users/", views.user_list, name="user_list"),
    path("users/search/", views.user_search, name="user_search"),
    path("users/invite/", views.user_invite, name="user_invite"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("memberships/<int:pk>/remove/", views.membership_remove, name="membership_remove"),
    # The invitation link: no sign-in, the token is the proof
    path("welcome/<uidb64>/<token>/", views.PasswordSetView.as_view(), name="password_set"),
    path("welcome/done/", views.PasswordSetDoneView.as_view(), name="password_set_done"),
    # Organisations and projects
    path("organisations/<int:pk>/", views.organisation_edit, name="organisation_edit"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/<slug:kind>/", views.project_rows, name="project_rows"),
    # Shared reference data
    path("code-lists/", views.code_lists, name="code_lists"),
    path("code-lists/<slug:slug>/", views.code_list_edit, name="code_list_edit"),
]
