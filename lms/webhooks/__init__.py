"""Webhooks: endpoints an administrator registers, the events sent to them (signed, retried) and their log."""
