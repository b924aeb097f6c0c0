"""Sending the outbox: the senders the school set up, claiming and sending what is due with
retries, and the outbox as the office and the command line see it. Messages are put in the
outbox (and held for the register check) by `attendance_desk.outbox.messages`."""
