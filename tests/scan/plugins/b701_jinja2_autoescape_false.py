# B701: jinja2 Environment without autoescaping.
import jinja2
from jinja2 import Environment, select_autoescape

templateLoader = jinja2.FileSystemLoader(searchpath="/")
jinja2.Environment(loader=templateLoader, autoescape=False)     # HIGH/HIGH
Environment(loader=templateLoader)                              # HIGH/HIGH: default off
Environment(loader=templateLoader, autoescape=True)             # fine
Environment(autoescape=select_autoescape(["html"]))             # fine
Environment(autoescape=jinja2.select_autoescape())              # HIGH/MEDIUM: not a bare name
Environment(autoescape=flag)                                    # HIGH/MEDIUM
Environment(loader=L(autoescape=True))                          # the nested keyword counts: fine
Environment(loader=L(autoescape=False), autoescape=True)        # its own keyword first: fine
jinja2.Template("x")                                            # not Environment
Environment(loader=templateLoader)  # nosec
