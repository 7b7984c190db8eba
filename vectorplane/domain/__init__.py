"""Pure domain rules of vectorplane: ids, statuses, plans, errors. No I/O lives here."""
