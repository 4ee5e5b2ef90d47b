from django.contrib import admin

from .models import Article, Topic

admin.site.register(Article)
admin.site.register(Topic)
