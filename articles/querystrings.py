"""The list's query string, carried over to the links that keep its filters (feeds, API)."""


def filter_query(params, exclude=("page",)):
    """The list's query string without paging: the same filters for a feed or API link."""
    query = params.copy()
    for key in exclude:
        query.pop(key, None)
    for key in [key for key in query if not any(query.getlist(key))]:
        query.pop(key)
    return query.urlencode()
