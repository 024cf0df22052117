# B702: mako Template objects.
from mako.template import Template
from mako import template
import mako

Template("hello")
template.Template("hern")
mako.template.Template("hello")
mako.lookup.TemplateLookup(directories=["/tmp"])   # not a Template call
jinja2.Template("x")                               # no "mako" part
Template("x")  # nosec
