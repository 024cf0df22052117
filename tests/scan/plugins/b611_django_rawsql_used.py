# B611: RawSQL with a non-literal SQL text, in a file importing django.db.models.
from django.db.models.expressions import RawSQL

RawSQL("select col from t where id = %s", (x,))       # fine
RawSQL("select col from t where id = %s" % x, ())
RawSQL(sql="select %s" % x)
RawSQL(sql="select 1")                                  # fine
RawSQL(query)
RawSQL(query)  # nosec
