# B614: torch.load without weights_only=True, in a file that does `import torch`.
import torch
from torch import serialization

torch.load("model.pt")
torch.load("model.pt", map_location="cpu",
           weights_only=False)
torch.load("model.pt", weights_only=True)      # fine
torch.load("model.pt", weights_only="True")    # the string reads the same: fine
torch.load("model.pt", weights_only=flag)      # a name is not "True": flagged
serialization.load(f)                          # torch.serialization.load
torch.jit.load("m.pt")                         # not in the 1.9.4 list
torch.hub.load("repo", "model")                # not in the list
torch.load("model.pt")  # nosec
