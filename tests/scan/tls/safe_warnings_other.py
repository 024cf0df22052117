# Silencing other warnings is not DP503.
import warnings

import urllib3

warnings.simplefilter("ignore")
warnings.filterwarnings("ignore", category=DeprecationWarning)
warnings.simplefilter("ignore", ResourceWarning)
urllib3.disable_warnings(urllib3.exceptions.DependencyWarning)
warnings.filterwarnings("error", category=urllib3.exceptions.InsecureRequestWarning)
