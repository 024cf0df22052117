# B614 needs `import torch` exactly.
from torch import load

load("model.pt")        # torch.load, but "torch" itself was never imported: not flagged
