"""Rows changed in memory, written back with one `UPDATE … FROM (VALUES …)` a chunk, on PostgreSQL and on
SQLite (3.33 or later). Django's `bulk_update` builds a `CASE WHEN` expression per row and field, and
resolving those took half of the worker's time while it processed deliveries (issue #15,
docs/benchmarks.md). Like `bulk_update`, it writes the fields as they are (no `auto_now`, no signals)."""

from django.db import connection

CHUNK = 500  # rows a statement (SQLite takes 32,766 parameters)


def update(objects: list, fields: list[str]) -> None:
    """Write `fields` of each of `objects` (instances of one model, saved before) in a few statements."""
    if not objects:
        return
    meta = type(objects[0])._meta
    columns = [meta.pk, *[meta.get_field(name) for name in fields]]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    if connection.vendor == "postgresql":  # VALUES takes its types from its parameters: say them
        row = "(" + ", ".join(f"CAST(%s AS {field.cast_db_type(connection)})" for field in columns) + ")"
    else:
        row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    assignments = ", ".join(f"{quote(field.column)} = v.column{i}" for i, field in enumerate(columns[1:], start=2))
    for start in range(0, len(objects), CHUNK):
        chunk = objects[start : start + CHUNK]
        params = [_value(obj, field) for obj in chunk for field in columns]
        sql = (  # names from the model, values as parameters
            f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row] * len(chunk))}) AS v "  # noqa: S608
            f"WHERE {table}.{quote(meta.pk.column)} = v.column1"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _value(obj, field):
    value = getattr(obj, field.attname)
    if hasattr(value, "resolve_expression"):
        raise TypeError(f"rows.update writes values, not expressions: {field.name} = {value!r}")
    return field.get_db_prep_save(value, connection)


def narrowed(queryset, **lookups):
    """The queryset filtered on each lookup that has a value: a filter left empty (None, "") keeps all."""
    return queryset.filter(**{name: value for name, value in lookups.items() if value not in (None, "")})
