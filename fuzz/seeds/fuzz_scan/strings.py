class C:
    """doc"""
    SQL = "SELECT * FROM t WHERE id = %s" % x
    tmp = "/tmp/x"
    host = "0.0.0.0"
    def m(self):
        return [x for x in "abc" if x == "password"]

match p:
    case {"k": "v"} if "secret":
        pass
