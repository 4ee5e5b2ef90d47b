"""Local copies of remote images: a safe downloader, Pillow checks, thumbnails, ``<img>`` maths.

A library the apps call, as Wagtail's ``images`` app is: it imports none of their
models. ``fetch`` downloads (http(s) to public addresses only, bounded in
wall-clock time, bytes and redirects), ``processing`` checks and resizes with
Pillow, ``files`` names and stores the results under ``MEDIA_ROOT``, ``copying``
runs downloads in threads and turns each one into a stored file or a one-line
reason, and ``pictures`` works out ``src``/``srcset``/sizes. Which picture a story
or an outlet shows is the apps' choice (``articles.pictures``, ``providers.logos``);
``articles.image_cache`` ties it together for ``manage.py cache_images``.
"""
