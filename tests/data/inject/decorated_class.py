from dataclasses import dataclass, field

import requests
from requests import Session


@dataclass
class Api:
    base: str
    session: Session = field(default_factory=Session)

    def __post_init__(self):
        self.http = Session()

    def items(self):
        return self.http.get(f"{self.base}/items", timeout=5).json()
