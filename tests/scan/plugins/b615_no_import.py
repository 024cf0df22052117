# B615 needs an import containing transformers, datasets or huggingface_hub.
AutoModel.from_pretrained("org/model")
