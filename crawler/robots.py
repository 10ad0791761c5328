"""robots.txt obeyed by every request, however many wait for it at once.

Scrapy's RobotsTxtMiddleware (2.13 and later) keeps one Deferred per site while robots.txt is
being fetched, and each request that arrives meanwhile awaits that Deferred itself: the first
of them takes the parser and leaves None in the Deferred for the rest, and None means "no
robots.txt, everything allowed". A fresh crawl sends its start page alone and never meets it;
a resumed crawl (its frontier and the sitemaps' addresses, hundreds at once) or a worker
claiming a batch of a shared crawl sends many requests before robots.txt answers, and fetched
pages robots.txt forbids (seen: a resumed audit fetched the town hall's /staff/rota that the
one-process audit reported as forbidden, so pages.csv called it an orphan).
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class RobotsTxt(RobotsTxtMiddleware):
    """Scrapy's middleware, with the site's parser read back once robots.txt is settled."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        # Fetches robots.txt once per site, or waits until it is fetched; by then the parser
        # (or None when robots.txt could not be fetched) is in _parsers for every waiter.
        await super().robot_parser(request)
        parser = self._parsers[urlparse_cached(request).netloc]
        assert not isinstance(parser, Deferred)  # settled before any waiter resumes
        return parser
