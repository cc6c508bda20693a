from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from casework import queries
from casework.models import Project
from casework.roles import Role, roles_of


@login_required
def home(request):
    """The signed-in person's start page: their caseload, or their projects' figures."""
    roles = roles_of(request.user)
    context = {"roles": roles}
    if Role.WORKER in roles:
        context["worker"] = queries.worker_home(request.user)
    if {Role.GUARANTOR, Role.ADMIN} & roles:
        context["projects"] = queries.project_summaries(
            Project.objects.managed_by(request.user)
            .select_related("organisation")
            .prefetch_related("extensions")
        )
    return render(request, "casework/home.html", context)


@login_required
def project_detail(request, pk: int):
    project = get_project_for_user(request.user, pk)
    return render(
        request,
        "casework/project_detail.html",
        {
            "project": project,
            "summary": queries.project_summaries(Project.objects.filter(pk=project.pk))[0],
        },
    )


def get_project_for_user(user, pk: int) -> Project:
    """A project the user has any role in; 404 otherwise, so nobody can probe for others."""
    return get_object_or_404(
        Project.objects.visible_to(user)
        .select_related("organisation")
        .prefetch_related("key_activities", "indicators", "periods", "extensions", "localities"),
        pk=pk,
    )
