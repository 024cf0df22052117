# B201: <x>.run(debug=True) in a file importing flask.
from flask import Flask

app = Flask(__name__)
app.run(debug=True)
app.run(debug=False)          # fine
app.run()                     # fine
app.run(host="h", port=1,
        debug=True)           # reported at the line of the value
run(debug=True)               # qualified name "run" does not end in ".run"
app.runner(debug=True)        # ".runner"
other.app.run(debug="True")   # the string "True" reads the same
app.run(debug=1)              # 1 is not "True"
app.run(debug=True)  # nosec
