"""Event records (who did what to whom, where, when, how many): Thai dates and numbers first."""
