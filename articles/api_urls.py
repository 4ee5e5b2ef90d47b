"""The API's URLs: ours (``?page=N``) and the original site's static-file shapes.

The original wrote page N at ``page/N/index.json``; its older form, ``pageN/index.json``,
still works for the clients that kept it.
"""

from django.urls import path

from . import api

app_name = "api"

urlpatterns = [
    path("news/", api.news, name="news"),
    path("news/index.json", api.news, name="news-index"),
    path("news/page/<int:page>/index.json", api.news, name="news-page"),
    path("news/page<int:page>/index.json", api.news, name="news-page-older"),
    path("news/<slug:topic_slug>/", api.news, name="topic-news"),
    path("news/<slug:topic_slug>/index.json", api.news, name="topic-news-index"),
    path("news/<slug:topic_slug>/page/<int:page>/index.json", api.news, name="topic-news-page"),
    path(
        "news/<slug:topic_slug>/page<int:page>/index.json", api.news, name="topic-news-page-older"
    ),
]
