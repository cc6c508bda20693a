"""Search text that never appears in a URL.

A typed name, birth number or address in a query string ends up in the browser history, in
proxy and server logs and in the ``Referer`` of the next request. Lists that search people
therefore take the text by POST (with the CSRF token), keep it in the user's session under a
short random token and redirect (303) to the list with ``?search=<token>``; the list reads the
text back from the session. Non-personal filters (project, status, worker…) stay in the query
string so that pagination and links keep working.

- ``remember(request, scope, text)`` stores the text and returns its token (the same token
  again for the same text in the same list); at most ``MAX_SEARCHES`` are kept per session,
  the oldest dropped first.
- ``PrivateSearch.from_request(request, scope)`` reads ``?search=<token>`` back: the text, or
  ``expired`` when the token is unknown (another session's token, an old one, a typo) — the
  list then shows everything and says why.
- ``search_redirect(request, scope, url, text=..., keep=...)`` answers the search form: a 303
  to the tokenised list, or for htmx the rows themselves with ``HX-Push-Url`` set to it.

A token is bound to one session and one list (``scope``), so a copied link shows nobody's
search to anyone else; signing out (a new session) forgets every search.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict

SESSION_KEY = "private_searches"
PARAM = "search"
MAX_SEARCHES = 20
MAX_LENGTH = 200
TOKEN_BYTES = 6


def _stored(request: HttpRequest) -> list[list[str]]:
    """``[token, scope, text]`` entries, oldest first."""
    entries = request.session.get(SESSION_KEY)
    return [list(e) for e in entries if len(e) == 3] if isinstance(entries, list) else []


def remember(request: HttpRequest, scope: str, text: str) -> str | None:
    """Keep ``text`` in the session for the list ``scope``; its token, or None when blank."""
    text = text.strip()[:MAX_LENGTH]
    if not text:
        return None
    entries = _stored(request)
    same = [e for e in entries if e[1] == scope and e[2] == text]
    token = same[0][0] if same else secrets.token_urlsafe(TOKEN_BYTES)
    entries = [e for e in entries if e[0] != token]
    entries.append([token, scope, text])
    request.session[SESSION_KEY] = entries[-MAX_SEARCHES:]
    return token


def recall(request: HttpRequest, scope: str, token: str) -> str | None:
    """The text stored under ``token`` for the list ``scope`` in this session, else None."""
    for stored_token, stored_scope, text in _stored(request):
        if stored_scope == scope and secrets.compare_digest(stored_token, token):
            return text
    return None


@dataclass(frozen=True)
class PrivateSearch:
    """The search of a list request: ``text`` ("" for none), its ``token``, ``expired``."""

    text: str = ""
    token: str = ""
    expired: bool = False

    @classmethod
    def from_request(
        cls, request: HttpRequest, scope: str, query: QueryDict | None = None
    ) -> PrivateSearch:
        """The search named by ``?search=`` of ``query`` (by default the request's GET)."""
        query = request.GET if query is None else query
        token = query.get(PARAM, "").strip()
        if not token:
            return cls()
        text = recall(request, scope, token)
        if text is None:
            return cls(expired=True)
        return cls(text=text, token=token)

    def filter_data(self, data: QueryDict, field: str) -> QueryDict:
        """A copy of the list's GET data with the search text as ``field`` (and no token, and
        no ``field`` from the URL: text typed into an address is not searched)."""
        data = data.copy()
        data.pop(PARAM, None)
        data.pop(field, None)
        if self.text:
            data[field] = self.text
        return data


def list_query(request: HttpRequest, scope: str, *, text: str, keep: Iterable[str]) -> QueryDict:
    """The list's query string: the non-personal ``keep`` fields of the POST and the token."""
    query = QueryDict(mutable=True)
    for name in keep:
        values = [v for v in request.POST.getlist(name) if v.strip()]
        if values:
            query.setlist(name, values)
    token = remember(request, scope, text)
    if token:
        query[PARAM] = token
    return query


def search_redirect(
    request: HttpRequest,
    scope: str,
    url: str,
    *,
    text: str,
    keep: Iterable[str],
    render_rows: Callable[[QueryDict], HttpResponse] | None = None,
) -> HttpResponse:
    """Answer a search form's POST: the list at ``url`` with the token, never the text.

    For htmx with ``render_rows`` the rows are rendered right away from the tokenised query
    and the address bar gets the tokenised URL (``HX-Push-Url``); otherwise a 303 redirect.
    """
    query = list_query(request, scope, text=text, keep=keep)
    target = f"{url}?{query.urlencode()}" if query else url
    if render_rows is not None and getattr(request, "htmx", False):
        response = render_rows(query)
        response["HX-Push-Url"] = target
        return response
    return HttpResponseRedirect(target, status=303)
