from django.urls import path

from casework.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("projects/<int:pk>/", views.upload, name="upload"),
    path("projects/<int:pk>/export/<str:kind>/", views.export, name="export"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/confirm/", views.confirm, name="confirm"),
]
