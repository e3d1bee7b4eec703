"""gunicorn settings for production (the Dockerfile and docker-compose use this).

The access log records method, path (feedback tokens hidden), status, size and
duration only: no client address, user agent, referrer or time of day, so it
cannot re-link an anonymous feedback answer to the phone that sent it (see
arp/anonymous_logging.py). The container's own log driver adds a time stamp
per line; to keep even that coarse, ship logs with a daily rotation only.
"""

import os

import gunicorn.http.wsgi

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# A request that takes longer is killed, so nothing waits on it for ever.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '"%(m)s %(U)s" %(s)s %(b)s %(M)sms'
logger_class = "arp.anonymous_logging.AnonymousAccessLogger"
errorlog = "-"

# Header limits well under gunicorn's defaults: our forms need no more.
limit_request_line = 4094
limit_request_fields = 60
limit_request_field_size = 8190

# No "Server: gunicorn/27.0.1" banner: the version helps only an attacker.
gunicorn.http.wsgi.SERVER = "arp"
