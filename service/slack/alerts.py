"""Topic alerts in Slack: the change-feed follower (``service.watches``) wired to the bot's Web API client.

Started by whatever runs the bot, after the model and archive are loaded: ``newsdesk serve`` (HTTP
mode, when Slack is configured) and ``newsdesk slack`` (Socket Mode). Several of them on one
machine share the watches and take turns holding the alerts lease, so each story alerts once.
"""

from __future__ import annotations

from service.background import BackgroundThread
from service.runtime import Runtime
from service.slack.app import SlackBot
from service.slack.blocks import render_alert
from service.slack.listeners import post
from service.watches.follower import AlertFollower, FollowerConfig
from service.watches.matching import Match, TopicMatcher


def alert_follower(bot: SlackBot, runtime: Runtime) -> AlertFollower:
    """The follower that posts ``bot``'s channels' topic alerts (loads the model if it is not yet)."""
    settings = runtime.settings
    client = bot.app.client
    public_url = settings.public_url

    def post_alert(match: Match) -> bool:
        return post(client, match.watch.channel, render_alert(match, public_url), None)

    config = FollowerConfig(
        poll_s=settings.watch_poll_s,
        alerts_per_hour=settings.watch_alerts_per_hour,
    )
    matcher = TopicMatcher(runtime.embedder, settings.watch_threshold)
    return AlertFollower(runtime.store, bot.watches, matcher, post_alert, config)


def start_alerts(bot: SlackBot, runtime: Runtime) -> BackgroundThread:
    """Follow the archive's changes in a background thread, until it is stopped."""
    return alert_follower(bot, runtime).start()
