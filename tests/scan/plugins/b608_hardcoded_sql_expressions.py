# B608: SQL-looking strings built with %, +, .format(), .replace() or f-strings.
cur.execute("SELECT * FROM foo WHERE id = '%s'" % identifier)        # MEDIUM confidence
cur.execute("INSERT INTO foo VALUES ('a', 'b', '%s')" % value)
cur.execute("DELETE FROM foo WHERE id = '%s'" % identifier)
cur.execute("UPDATE foo SET value = 'b' WHERE id = '%s'" % identifier)
cur.execute("SELECT * FROM foo WHERE id = '" + identifier + "'")
cur.execute("SELECT * FROM foo WHERE id = '{}'".format(identifier))
cur.execute("SELECT * FROM foo WHERE id = '%s'".replace("%s", x))    # .replace: LOW confidence
cur.executemany("insert into t values (%s)" % v, rows)
query = "SELECT * FROM foo WHERE id = '%s'" % identifier               # LOW: not in execute()
query = f"SELECT * FROM foo WHERE id = {identifier}"
cur.execute(f"DELETE FROM foo WHERE id = {x} AND b = {y}")
cur.execute("SELECT * FROM foo WHERE id = '%s'", identifier)         # fine: parameters
cur.execute("SELECT * FROM foo")                                      # fine: no building
choices = [("server_list", _("Select from active instances"))]        # fine
print("delete from the cache as the first argument" + x)              # LOW: looks like SQL
q = "SELECT a " + "FROM t" + x         # the pieces of one operation are not joined: nothing
q = "SELECT a " + x + " FROM t"        # joined across operations: flagged at the first string
q = "UPDATE t SET a=1".upper()         # neither format nor replace: nothing
q = "select\nx\nfrom\ny %s" % z        # newlines are whitespace and .* crosses lines
q = "INSERT INTO t(a) VALUES(%s)" % z  # values( also ends the pattern (1.9.4)
cur.execute("SELECT * FROM foo WHERE id = '%s'" % identifier)  # nosec
cur.execute(
    "SELECT * FROM foo "
    "WHERE id = %s" % x)
