"""Notes written in SQL by the scheduled actions, translated once per batch:
the note is rendered (translated, HTML-escaped) with placeholders, then cut
into its literal pieces and the names of its values, which each caller
fills per record (in Python or in SQL)."""

PLACEHOLDER = "\x00"


def note_parts(render, names):
    """``render(**values)``'s text with ``names`` as placeholders, as
    ``[text, name, text, name, ..., text]``: the names at odd indexes (a
    placeholder holds no character that HTML escaping changes)."""
    return str(
        render(**{name: f"{PLACEHOLDER}{name}{PLACEHOLDER}" for name in names})
    ).split(PLACEHOLDER)
