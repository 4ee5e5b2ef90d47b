"""The API's URLs: ours (``?page=N``) and the original site's static-file shapes."""

from django.urls import path

from . import api

app_name = "api"

urlpatterns = [
    path("news/", api.news, name="news"),
    path("news/index.json", api.news, name="news-index"),
    path("news/page/<int:page>/index.json", api.news, name="news-page"),
    path("news/<slug:topic_slug>/", api.news, name="topic-news"),
    path("news/<slug:topic_slug>/index.json", api.news, name="topic-news-index"),
    path("news/<slug:topic_slug>/page/<int:page>/index.json", api.news, name="topic-news-page"),
]
