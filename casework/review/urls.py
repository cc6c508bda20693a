from django.urls import path

from casework.review import views

app_name = "review"

urlpatterns = [
    # Closures: the worker proposes, the guarantor signs off or returns
    path("closures/", views.closure_list, name="closure_list"),
    path("enrolments/<int:pk>/close/", views.closure_propose, name="closure_propose"),
    path("closures/<int:pk>/", views.closure_detail, name="closure_detail"),
    path("closures/<int:pk>/decide/", views.closure_decide, name="closure_decide"),
    # Quality review of sampled case files
    path("quality/", views.quality_sample, name="quality_sample"),
    path("quality/files/<int:pk>/new/", views.quality_review_create, name="quality_create"),
    path("quality/<int:pk>/", views.quality_detail, name="quality_detail"),
    path("projects/<int:pk>/checklist/", views.checklist_edit, name="checklist_edit"),
]
