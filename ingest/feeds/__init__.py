"""Live feeds: RSS/Atom subscriptions polled on a schedule, their new entries stored as articles.

The poller lives in ``ingest`` because polling a feed is turning a source into stored articles:
it needs only ingest's parts (``safe_fetch`` with its URL-safety rules, the feed reader, the
``Ingestor``) and ingest's settings. The service drives it (``newsdesk feeds``, ``newsdesk serve
--feeds``) and shows its state (``GET /v1/feeds``, ``/metrics``, ``newsdesk stats``).

- ``models``: a subscription with its polling state (``Feed``) and what one poll did (``FeedPoll``);
- ``schedule``: ``--every`` intervals and the backoff after errors;
- ``state``: the SQLite file of subscriptions, shared by every process on the machine, with the
  lease that lets only one poller poll a feed at a time;
- ``poller``: one poll (a conditional GET, the feed reader, the ingest pipeline) and the loop.
"""

from ingest.feeds.models import Feed, FeedPoll
from ingest.feeds.poller import FeedPoller
from ingest.feeds.schedule import IntervalError, parse_every
from ingest.feeds.state import FeedError, FeedState, feed_ident

__all__ = ["Feed", "FeedError", "FeedPoll", "FeedPoller", "FeedState", "IntervalError", "feed_ident", "parse_every"]
