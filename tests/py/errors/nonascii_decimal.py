x = "éé"; 1abc
