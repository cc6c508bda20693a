"""The project's URLs plus the benchmark's baseline: the smallest view a signed-in user gets."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from casework.urls import urlpatterns as project_urlpatterns

MINIMAL_PATH = "/__bench__/minimal/"


@login_required
def minimal(request):
    """Signed in, through the whole middleware stack, and nothing else."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(MINIMAL_PATH.strip("/") + "/", minimal, name="bench_minimal")]
urlpatterns += project_urlpatterns
