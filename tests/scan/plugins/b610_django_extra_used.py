# B610: QuerySet.extra() with non-literal SQL pieces.
from django.db.models.expressions import RawSQL

User.objects.filter(username="admin").extra(dict(could_be="insecure"))
User.objects.filter(username="admin").extra(select=dict(could_be="insecure"))
query = '"username") AS "username", * FROM "auth_user" WHERE 1=1 OR "username"=? --'
User.objects.filter(username="admin").extra(select={"test": query})
User.objects.filter(username="admin").extra(select={"test": "secure"})       # fine
User.objects.filter(username="admin").extra(where=["secure"])                # fine
User.objects.filter(username="admin").extra(where=["%s" % query])
User.objects.filter(username="admin").extra(where=[query])
User.objects.filter(username="admin").extra(tables="t")                     # not a list
User.objects.filter(username="admin").extra(None, ["a"], None, ["t"])       # positional: fine
User.objects.filter(username="admin").extra()                               # nothing passed: fine
extra(where=[x])                                                            # any call named extra
User.objects.extra(where=[q])  # nosec
