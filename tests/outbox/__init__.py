"""Sending the outbox."""
