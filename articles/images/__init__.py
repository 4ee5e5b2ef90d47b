"""Local copies of remote images: a safe downloader, Pillow checks and thumbnails.

``fetch`` downloads (http(s) to public addresses only, bounded in time, bytes and
redirects), ``processing`` checks and resizes with Pillow, ``files`` names and stores
the results under ``MEDIA_ROOT``, and ``cache`` ties them together for
``manage.py cache_images``.
"""
