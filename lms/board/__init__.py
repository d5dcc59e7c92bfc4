"""The readiness board: a manager's teams at a glance, each person's record, bulk actions and the export."""
