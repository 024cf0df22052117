def f(a):
        # comment at a deeper indent
    x = a
  # comment at a shallower indent

      # and another, after a blank line
    if x:
                    # very deep comment
        return 1
    
        
    return 2
# column 0 comment inside nothing
class C:

    # blank line above, comment here

    def g(self):
         pass
           # trailing deeper comment
   # trailing shallower comment
