import os
import os.path
import os.path as p
import a, b as c, d.e
from os import path
from os import path as p, sep
from os import (path, sep)
from os import (path as p,
                sep as s,)
from . import x
from .. import y
from .mod import z
from ...pkg.mod import w as ww
from .... import v
from ....... import u
from . import (a, b)
from os import *
from .mod import *
from __future__ import annotations
