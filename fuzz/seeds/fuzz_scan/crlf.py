x = 1
y = eval(
  z)
# nosec
﻿
