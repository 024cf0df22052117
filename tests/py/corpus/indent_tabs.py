if x:
	y = 1
	if y:
		z = 2
	else:
		z = 3
for i in r:
	pass
