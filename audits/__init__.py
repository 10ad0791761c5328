"""Analysis: pure functions from the site model and the task config to task fields and findings.

No audit touches the network; each can be tested on a hand-built `SiteModel`.
"""
