if a:
        b = 1
        if c:
        	d = 2
        	e = 3
if f:
	g = 4
	if h:
	    i = 5
class K:
  def m(self):
  	return 1
