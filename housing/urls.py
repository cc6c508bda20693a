from django.urls import path

from housing import views

app_name = "housing"

urlpatterns = [
    path("", views.housing_list, name="list"),
    path("<int:pk>/", views.housing_detail, name="detail"),
    path("<int:pk>/change/", views.housing_change, name="change"),
    path("clients/<int:pk>/new/", views.housing_create, name="create"),
    path("clients/<int:pk>/assess/", views.housing_assess, name="assess"),
    path("clients/<int:pk>/outcome/", views.housing_outcome, name="outcome"),
    path("risk-factors/<int:pk>/revise/", views.factor_set_revise, name="factor_set_revise"),
]
