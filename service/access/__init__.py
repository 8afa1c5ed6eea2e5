"""Who may use this server: API keys and the loopback rule, shared by the HTTP API and Slack's HTTP routes.

``keys`` (the access policy a request is checked against), ``loopback`` (addresses and URLs only
this machine can reach).
"""
