"""The key tables' SQLite shape, made by the migrations that create them (0019, 0025)."""


def remake_without_rowid(schema_editor, table):
    """On SQLite, ``table`` made again as ``WITHOUT ROWID``: stored in its primary key's
    order, with no rowid B-tree beside it, so each row is written into one B-tree
    fewer. Only for a table that is still empty (the rows are not copied)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL "
            "ORDER BY type = 'index'",
            [table],
        )
        (_, create_table), *indexes = cursor.fetchall()
    schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(table)}")
    schema_editor.execute(f"{create_table} WITHOUT ROWID")
    for _, create_index in indexes:
        schema_editor.execute(create_index)
