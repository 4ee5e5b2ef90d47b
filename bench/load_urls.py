"""The site's URLs plus /bench/hello/, the hello-world baseline of bench/load.py."""

from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as site


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), *site]
