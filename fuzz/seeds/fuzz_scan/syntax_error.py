def broken(:
  # nosec
