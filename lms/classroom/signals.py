"""What the classroom domain tells others: seats given (enrolled at once or promoted from the waiting list),
a session changed (time, place, capacity) and a session cancelled. The notifications follow them."""

from blinker import Namespace

signals = Namespace()
# Sent with the seats that became places in the room (sender: the session; promoted=True from the waiting list).
seats_given = signals.signal("classroom-seats-given")
# Sent with the session after a change people must put in their calendars.
session_changed = signals.signal("classroom-session-changed")
# Sent with the session when the trainer cancels it as a whole.
session_cancelled = signals.signal("classroom-session-cancelled")
# Sent with a seat that now counts as completed (attendance, and the quiz if any).
seat_completed = signals.signal("classroom-seat-completed")
