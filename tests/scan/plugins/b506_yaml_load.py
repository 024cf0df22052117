# B506: yaml.load without a safe loader, in a file that does `import yaml`.
import yaml

yaml.load(data)
yaml.load(data, Loader=yaml.SafeLoader)      # fine
yaml.load(data, Loader=yaml.CSafeLoader)     # fine
yaml.load(data, yaml.SafeLoader)             # fine: second positional argument (1.9.4)
yaml.load(data, Loader=yaml.Loader)          # flagged
yaml.load(data, Loader=SafeLoader)           # a bare name reads the same: fine
yaml.safe_load(data)                         # fine
yaml.load_all(data)                          # not "load"
json.load(f)                                 # no "yaml" part
yaml.load(data)  # nosec
