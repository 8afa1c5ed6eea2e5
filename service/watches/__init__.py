"""Topic watches: a channel subscribes to a topic and is alerted to each new story on it.

``store`` (watches, claimed alerts, the follower's lease and position), ``matching`` (does an
article match a topic: the retrieval's sentence scoring and a calibrated threshold), ``follower``
(reads the store's change feed and alerts). Slack's side, the commands and the posting, is in
``service.slack.watch_commands`` and ``service.slack.alerts``.
"""
