# -*- coding: latin-1 -*-
x = "café"
y = b"\xe9"
