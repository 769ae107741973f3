"""Sunbae on Slack: a second transport (slack-bolt over Socket Mode) over the same facade."""
