# B615: Hugging Face Hub downloads without a pinned commit.
from transformers import AutoModel, AutoTokenizer
from datasets import load_dataset
from huggingface_hub import hf_hub_download, snapshot_download
import transformers

AutoModel.from_pretrained("org/model")
AutoModel.from_pretrained("org/model", revision="main")
AutoModel.from_pretrained("org/model", revision="v1.0.0")
AutoModel.from_pretrained("org/model", revision="5d0f2e8")           # fine: 7+ hex digits
AutoModel.from_pretrained("org/model", revision="5d0f2e8a7f1b3c4d5e6f708192a3b4c5d6e7f809")
AutoModel.from_pretrained("org/model", revision=pinned)              # a variable: silent
AutoModel.from_pretrained("./local/model")                           # fine: a local path
AutoModel.from_pretrained("/abs/model")                              # fine
AutoTokenizer.from_pretrained("org/model", commit_id="abcdef0")     # fine
transformers.AutoModel.from_pretrained("org/model")
load_dataset("org/data")
load_dataset("org/data", revision="refs/pr/1")
hf_hub_download(repo_id="org/m", filename="f")
snapshot_download(repo_id="org/m", revision="'abcdef12'")           # quotes stripped: fine
Other.from_pretrained("x")                                           # no "transformers" part
AutoModel.from_pretrained("org/model")  # nosec
