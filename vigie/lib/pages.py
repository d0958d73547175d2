"""Lists of the interface cut into pages: `page_of(request, rows, size)` is the page asked for (`?page=N`; a
page that does not exist gives the nearest one) and `filters_of(request)` the list's other filters, which its
page links keep. Templates draw the links with `{% include "_pager.html" %}` (words: `newer`, `older`)."""

from django.core.paginator import Page, Paginator


def page_of(request, rows, size: int) -> Page:
    return Paginator(rows, size).get_page(request.GET.get("page"))


def filters_of(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
