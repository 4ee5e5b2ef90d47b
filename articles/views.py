from django.views.generic import DetailView, ListView

from .models import Article, Topic


class ArticleListView(ListView):
    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().select_related("provider")


class ArticleDetailView(DetailView):
    def get_queryset(self):
        return Article.objects.published().select_related("provider")


class TopicDetailView(DetailView):
    model = Topic
