# just a comment
#another
    # indented comment
	# tab comment

