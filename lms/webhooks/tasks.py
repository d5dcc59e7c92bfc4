"""The task consumer's webhook work: the deliveries (lms/webhooks/delivery.py) and, every hour, the
certificates that expired since (``flask lms webhook-expiries`` does the same from cron)."""

from huey import crontab

import lms.webhooks.delivery  # noqa: F401  (the consumer finds deliver_webhook by its module)
from lms.tasks import app_task, huey
from lms.webhooks.events import raise_expired


@app_task()
def raise_expired_task() -> int:
    return raise_expired()


@huey.periodic_task(crontab(minute="17"))
def hourly_expiry_check() -> None:
    raise_expired_task()
