"""Names of the events every state change records (who, when, what).

Reports (issue 8) and sync (issue 4) replay these, so names are a contract: add, never rename.
"""

TICKET_ISSUED = "ticket.issued"
TICKET_CALLED = "ticket.called"
TICKET_ACCEPTED = "ticket.accepted"
TICKET_RECALLED = "ticket.recalled"
TICKET_STARTED = "ticket.started"
TICKET_COMPLETED = "ticket.completed"
TICKET_NO_SHOW = "ticket.no_show"
TICKET_TRANSFERRED = "ticket.transferred"
TICKET_HELD = "ticket.held"
TICKET_RESUMED = "ticket.resumed"
TICKET_EXPIRED = "ticket.expired"
COUNTER_OPENED = "counter.opened"
COUNTER_CLOSED = "counter.closed"
COUNTER_SERVICES = "counter.services_changed"
CHART_IMPORTED = "chart.imported"
CHART_DESK_ASSIGNED = "chart.desk_assigned"
CHART_DUTIES_SET = "chart.duties_set"
PRESENCE_CHANGED = "presence.changed"
