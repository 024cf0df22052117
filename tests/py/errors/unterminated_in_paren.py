x = (
    "abc
)
