class ActionError(ValueError):
    """A request the desk cannot carry out; the message is shown to the user (French)."""
