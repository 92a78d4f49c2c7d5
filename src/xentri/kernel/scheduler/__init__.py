"""Scheduled jobs: cron schedules in an org's own time zone, run once per slot across replicas."""
