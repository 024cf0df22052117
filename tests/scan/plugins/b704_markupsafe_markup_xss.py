# B704: markupsafe.Markup on non-constant data.
import flask
from markupsafe import Markup, escape

Markup(f"<b>{name}</b>")
Markup("<b>static</b>")                 # fine: a constant
Markup(name)
Markup()                                 # no argument: fine
flask.Markup(content)
Markup.escape(name)                      # not Markup itself
escape(name)                             # fine
Markup(name)  # nosec
