"""Helpers for the tests of the public pages in every app: a page fetched, read as a reader sees it."""

import html
import re


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response


def text(response):
    """The page as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def row_names(response):
    """The record names in the first column of the results table, in order."""
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [html.unescape(name) for name in re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', body)]


def facet(response, param):
    """``{value: count}`` of one facet of a list page."""
    for candidate, values in response.context["facets"]:
        if candidate.param == param:
            return {value.value: value.count for value in values}
    raise AssertionError(f"no facet {param}")


def hrefs(response):
    return [html.unescape(href) for href in re.findall(r'href="([^"]*)"', response.content.decode())]
