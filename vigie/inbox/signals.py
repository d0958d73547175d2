"""What the inbox tells other apps, so that it knows nothing of their rows.

The procedure listens: a label a person corrected or confirmed brings the proposals for it (policy/receivers.py);
crisis detection too: misinformation a person checked may open a spreading-falsehood crisis (crisis/receivers.py).
Sent inside the transaction that records the change.
"""

from django.dispatch import Signal

label_checked = Signal()  # sender=Message, message=…, classification=… (its label corrected or confirmed)
