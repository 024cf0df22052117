#!/usr/bin/env python3
"""Writes src/data/solutions_general_tab.c: the answers to the general Python task templates of
src/data/prompts_general.c, one template per (family, task index), as C string literals.

Template markers (expanded by src/data/solutions_general.c):
  $F      the function name (the prompt's, else the default)   $C  the class name
  $N      the prompt's {n} value (or the default)                $H{...}  kept only with type hints
  $D{...} a docstring line: written as \"\"\"...\"\"\" when the answer has docstrings, else dropped
  $E      " = " before a default value with type hints, "=" without (PEP 8)
Each answer is checked by tests/data/solutions.test.sh (CPython's ast and a run of its example).
Run: python3 tools/ref/solutions_general_gen.py > src/data/solutions_general_tab.c
"""
import re
import sys

T = []  # (family, k, fname, cls, n_default, imports, code, usage)


def add(family, k, fname, code, usage, imports="", cls="", n=""):
    code = re.sub(r"(\$H\{[^}]*\}) = ", r"\1$E", code)
    T.append((family, k, fname, cls, n, imports.strip("\n"), code.strip("\n") + "\n", usage.strip("\n") + "\n"))


S = "general_strings"
add(S, 0, "is_palindrome", '''
def $F(text$H{: str})$H{ -> bool}:
    $D{Return True if text reads the same backwards, ignoring case and punctuation.}
    cleaned = [ch.lower() for ch in text if ch.isalnum()]
    return cleaned == cleaned[::-1]
''', 'print($F("A man, a plan, a canal: Panama"))')
add(S, 1, "top_words", '''
def $F(text$H{: str}, n$H{: int} = $N)$H{ -> list[tuple[str, int]]}:
    $D{Return the n most common words in text with their counts.}
    words = re.findall(r"[a-z']+", text.lower())
    return Counter(words).most_common(n)
''', 'print($F("the cat and the hat and the bat sat on the mat"))', "import re\nfrom collections import Counter", n="5")
add(S, 2, "to_snake_case", r'''
def $F(name$H{: str})$H{ -> str}:
    $D{Convert camelCase or PascalCase to snake_case.}
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()
''', 'print($F("parseHttpResponseCode"))', "import re")
add(S, 3, "normalize", '''
def $F(text$H{: str})$H{ -> str}:
    $D{Collapse runs of whitespace into single spaces and trim both ends.}
    return " ".join(text.split())
''', 'print(repr($F("  hello   world \\n again  ")))')
add(S, 4, "common_prefix", '''
def $F(strings$H{: list[str]})$H{ -> str}:
    $D{Return the longest prefix shared by all the strings.}
    if not strings:
        return ""
    prefix = strings[0]
    for s in strings[1:]:
        while not s.startswith(prefix):
            prefix = prefix[:-1]
    return prefix
''', 'print($F(["interview", "internet", "interval"]))')
add(S, 5, "is_valid_email", r'''
EMAIL_RE = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)*\.[A-Za-z]{2,}$")


def $F(address$H{: str})$H{ -> bool}:
    $D{Return True if address looks like a valid email address.}
    return EMAIL_RE.match(address) is not None
''', 'for address in ["ada@example.com", "not-an-email", "x@y.io"]:\n    print(address, $F(address))', "import re")
add(S, 6, "reverse_words", '''
def $F(sentence$H{: str})$H{ -> str}:
    $D{Reverse the order of the words in a sentence.}
    return " ".join(reversed(sentence.split()))
''', 'print($F("the quick brown fox"))')
add(S, 7, "shorten", '''
def $F(text$H{: str}, limit$H{: int} = $N)$H{ -> str}:
    $D{Shorten text to at most limit characters without cutting a word in half.}
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if text[limit] != " ":
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip()
''', 'print($F("Python is a programming language that lets you work quickly"))', n="20")

C = "general_collections"
add(C, 0, "merge_counts", '''
def $F(a$H{: dict[str, int]}, b$H{: dict[str, int]})$H{ -> dict[str, int]}:
    $D{Merge two dicts, adding up the values of the keys they share.}
    merged = dict(a)
    for key, value in b.items():
        merged[key] = merged.get(key, 0) + value
    return merged
''', 'print($F({"apples": 3, "pears": 1}, {"apples": 2, "plums": 5}))')
add(C, 1, "group_by", '''
def $F(records$H{: list[dict]}, key$H{: str})$H{ -> dict}:
    $D{Group a list of dicts by the value of one key.}
    groups = defaultdict(list)
    for record in records:
        groups[record.get(key)].append(record)
    return dict(groups)
''', 'people = [{"name": "Ada", "team": "core"}, {"name": "Bob", "team": "web"}, {"name": "Cy", "team": "core"}]\nprint($F(people, "team"))', "from collections import defaultdict")
add(C, 2, "flatten", '''
def $F(items$H{: list})$H{ -> list}:
    $D{Flatten a nested list of any depth.}
    flat = []
    for item in items:
        if isinstance(item, (list, tuple)):
            flat.extend($F(item))
        else:
            flat.append(item)
    return flat
''', 'print($F([1, [2, [3, [4]], 5], [[6]]]))')
add(C, 3, "dedupe", '''
def $F(items$H{: list})$H{ -> list}:
    $D{Remove duplicates while keeping the first occurrence of each item in order.}
    seen = set()
    result = []
    for item in items:
        if item not in seen:
            seen.add(item)
            result.append(item)
    return result
''', 'print($F([3, 1, 3, 2, 1, 5]))')
add(C, 4, "chunks", '''
def $F(items$H{: list}, size$H{: int} = $N)$H{ -> list[list]}:
    $D{Split items into consecutive chunks of the given size.}
    if size <= 0:
        raise ValueError("size must be positive")
    return [items[i:i + size] for i in range(0, len(items), size)]
''', 'print($F(list(range(12))))', n="3")
add(C, 5, "largest", '''
def $F(numbers$H{: list[float]}, n$H{: int} = $N)$H{ -> list[float]}:
    $D{Return the n largest numbers, largest first.}
    return heapq.nlargest(n, numbers)
''', 'print($F([5, 1, 9, 3, 7, 2, 8]))', "import heapq", n="3")
add(C, 6, "sort_records", '''
def $F(records$H{: list[dict]})$H{ -> list[dict]}:
    $D{Sort by "name" ascending, then by "score" descending.}
    return sorted(records, key=lambda r: (r["name"], -r["score"]))
''', 'rows = [{"name": "b", "score": 1}, {"name": "a", "score": 2}, {"name": "a", "score": 5}]\nprint($F(rows))')
add(C, 7, "invert", '''
def $F(mapping$H{: dict})$H{ -> dict}:
    $D{Invert a dict; keys that share a value end up together in one list.}
    inverted = {}
    for key, value in mapping.items():
        inverted.setdefault(value, []).append(key)
    return inverted
''', 'print($F({"a": 1, "b": 2, "c": 1}))')

F = "general_files"
add(F, 0, "column_average", '''
def $F(path$H{: str}, column$H{: str})$H{ -> float}:
    $D{Return the average of a numeric column of a CSV file.}
    total = 0.0
    count = 0
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            value = (row.get(column) or "").strip()
            if value:
                total += float(value)
                count += 1
    if count == 0:
        raise ValueError(f"no values in column {column!r}")
    return total / count
''', 'print($F("sales.csv", "amount"))', "import csv")
add(F, 1, "count_lines", '''
def $F(folder$H{: str})$H{ -> dict[str, int]}:
    $D{Count the lines of every .py file under folder.}
    counts = {}
    for path in sorted(Path(folder).rglob("*.py")):
        with path.open(encoding="utf-8", errors="replace") as fh:
            counts[str(path)] = sum(1 for _ in fh)
    return counts
''', 'for name, lines in $F(".").items():\n    print(f"{lines:6d} {name}")', "from pathlib import Path")
add(F, 2, "lowercase_names", '''
def $F(folder$H{: str})$H{ -> int}:
    $D{Rename every file in folder to lower case and return how many were renamed.}
    renamed = 0
    for name in os.listdir(folder):
        lower = name.lower()
        src = os.path.join(folder, name)
        if lower != name and os.path.isfile(src):
            os.rename(src, os.path.join(folder, lower))
            renamed += 1
    return renamed
''', 'print($F("photos"))', "import os")
add(F, 3, "load_config", '''
DEFAULTS = {"host": "localhost", "port": 8080, "debug": False}


def $F(path$H{: str})$H{ -> dict}:
    $D{Load a JSON config file, falling back to the defaults for missing keys.}
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        data = {}
    return {**DEFAULTS, **data}
''', 'print($F("config.json"))', "import json")
add(F, 4, "write_csv", '''
def $F(rows$H{: list[dict]}, path$H{: str})$H{ -> None}:
    $D{Write a list of dicts to a CSV file with a header row.}
    if not rows:
        return
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
''', '$F([{"name": "Ada", "age": 36}, {"name": "Alan", "age": 41}], "people.csv")', "import csv")
add(F, 5, "tail", '''
def $F(path$H{: str}, n$H{: int} = $N)$H{ -> list[str]}:
    $D{Return the last n lines of a file without keeping the whole file in memory.}
    with open(path, encoding="utf-8", errors="replace") as fh:
        return list(deque(fh, maxlen=n))
''', 'for line in $F("app.log"):\n    print(line, end="")', "from collections import deque", n="10")
add(F, 6, "checksum", '''
def $F(path$H{: str}, chunk_size$H{: int} = 65536)$H{ -> str}:
    $D{Return the SHA-256 hex digest of a file, read in chunks.}
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(chunk_size), b""):
            digest.update(chunk)
    return digest.hexdigest()
''', 'print($F("archive.zip"))', "import hashlib")
add(F, 7, "delete_old_files", '''
def $F(folder$H{: str}, days$H{: int} = $N)$H{ -> list[str]}:
    $D{Delete the files in folder that are older than the given number of days.}
    cutoff = time.time() - days * 86400
    removed = []
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if os.path.isfile(path) and os.path.getmtime(path) < cutoff:
            os.remove(path)
            removed.append(path)
    return removed
''', 'print($F("/tmp/reports"))', "import os\nimport time", n="30")

A = "general_algorithms"
add(A, 0, "binary_search", '''
def $F(items$H{: list[int]}, target$H{: int})$H{ -> int}:
    $D{Return the index of target in the sorted list, or -1 if it is absent.}
    lo, hi = 0, len(items) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if items[mid] == target:
            return mid
        if items[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1
''', 'print($F([1, 3, 5, 7, 9, 11], 7))')
add(A, 1, "fib", '''
@lru_cache(maxsize=None)
def $F(n$H{: int})$H{ -> int}:
    $D{Return the nth Fibonacci number, with fib(0) == 0.}
    if n < 0:
        raise ValueError("n must be non-negative")
    if n < 2:
        return n
    return $F(n - 1) + $F(n - 2)
''', 'print([$F(i) for i in range(10)])', "from functools import lru_cache")
add(A, 2, "is_prime", '''
def $F(n$H{: int})$H{ -> bool}:
    $D{Return True if n is a prime number.}
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    i = 3
    while i * i <= n:
        if n % i == 0:
            return False
        i += 2
    return True
''', 'print([n for n in range(30) if $F(n)])')
add(A, 3, "", '''
class $C:
    $D{A least-recently-used cache with a fixed capacity.}

    def __init__(self, capacity$H{: int})$H{ -> None}:
        self.capacity = capacity
        self.data = OrderedDict()

    def get(self, key):
        if key not in self.data:
            return None
        self.data.move_to_end(key)
        return self.data[key]

    def put(self, key, value)$H{ -> None}:
        self.data[key] = value
        self.data.move_to_end(key)
        if len(self.data) > self.capacity:
            self.data.popitem(last=False)
''', 'cache = $C(2)\ncache.put("a", 1)\ncache.put("b", 2)\ncache.get("a")\ncache.put("c", 3)\nprint(cache.get("b"), cache.get("a"))', "from collections import OrderedDict", cls="LRUCache")
add(A, 4, "shortest_path", '''
def $F(grid$H{: list[str]}, start$H{: tuple[int, int]}, goal$H{: tuple[int, int]})$H{ -> int}:
    $D{Length of the shortest path from start to goal ('#' cells are walls), or -1.}
    rows, cols = len(grid), len(grid[0])
    queue = deque([(start, 0)])
    seen = {start}
    while queue:
        (r, c), dist = queue.popleft()
        if (r, c) == goal:
            return dist
        for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            nr, nc = r + dr, c + dc
            if 0 <= nr < rows and 0 <= nc < cols and grid[nr][nc] != "#" and (nr, nc) not in seen:
                seen.add((nr, nc))
                queue.append(((nr, nc), dist + 1))
    return -1
''', 'grid = ["..#.", "..#.", "....", "#..."]\nprint($F(grid, (0, 0), (0, 3)))', "from collections import deque")
add(A, 5, "gcd_all", '''
def $F(numbers$H{: list[int]})$H{ -> int}:
    $D{Greatest common divisor of a list of integers.}
    if not numbers:
        raise ValueError("numbers must not be empty")
    return reduce(math.gcd, numbers)
''', 'print($F([48, 180, 36]))', "import math\nfrom functools import reduce")
add(A, 6, "permutations", '''
def $F(text$H{: str})$H{ -> list[str]}:
    $D{All the distinct permutations of text, sorted.}
    if len(text) <= 1:
        return [text]
    result = set()
    for i, ch in enumerate(text):
        for rest in $F(text[:i] + text[i + 1:]):
            result.add(ch + rest)
    return sorted(result)
''', 'print($F("abc"))')
add(A, 7, "merge_sort", '''
def $F(items$H{: list})$H{ -> list}:
    $D{Return a sorted copy of items (merge sort).}
    if len(items) <= 1:
        return list(items)
    mid = len(items) // 2
    left, right = $F(items[:mid]), $F(items[mid:])
    merged = []
    i = j = 0
    while i < len(left) and j < len(right):
        if left[i] <= right[j]:
            merged.append(left[i])
            i += 1
        else:
            merged.append(right[j])
            j += 1
    merged.extend(left[i:])
    merged.extend(right[j:])
    return merged
''', 'print($F([5, 2, 9, 1, 5, 6]))')

D = "general_dates"
add(D, 0, "weekday_of", '''
def $F(text$H{: str})$H{ -> str}:
    $D{Return the weekday name of an ISO 8601 date such as 2024-03-15.}
    return date.fromisoformat(text).strftime("%A")
''', 'print($F("2024-03-15"))', "from datetime import date")
add(D, 1, "business_days", '''
def $F(start$H{: date}, end$H{: date})$H{ -> int}:
    $D{Count the Monday-to-Friday days from start up to, but not including, end.}
    days = 0
    current = start
    while current < end:
        if current.weekday() < 5:
            days += 1
        current += timedelta(days=1)
    return days
''', 'print($F(date(2024, 3, 1), date(2024, 4, 1)))', "from datetime import date, timedelta")
add(D, 2, "to_timezone", '''
def $F(timestamp$H{: float}, tz_name$H{: str})$H{ -> datetime}:
    $D{Convert a UTC Unix timestamp to an aware datetime in the given time zone.}
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).astimezone(ZoneInfo(tz_name))
''', 'print($F(1700000000, "Europe/Berlin"))', "from datetime import datetime, timezone\nfrom zoneinfo import ZoneInfo")
add(D, 3, "format_duration", '''
def $F(seconds$H{: int})$H{ -> str}:
    $D{Format a number of seconds as H:MM:SS.}
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
''', 'print($F(3725))')
add(D, 4, "mondays", '''
def $F(year$H{: int}, month$H{: int})$H{ -> list[date]}:
    $D{All the Mondays of the given month.}
    _, days = calendar.monthrange(year, month)
    return [date(year, month, d) for d in range(1, days + 1) if date(year, month, d).weekday() == 0]
''', 'print($F(2024, 7))', "import calendar\nfrom datetime import date")
add(D, 5, "is_leap_year", '''
def $F(year$H{: int})$H{ -> bool}:
    $D{Return True for leap years of the Gregorian calendar.}
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
''', 'print([y for y in (1900, 2000, 2023, 2024) if $F(y)])')

K = "general_classes"
add(K, 0, "", '''
class $C:
    $D{A bank account that keeps a history of its transactions.}

    def __init__(self, owner$H{: str}, balance$H{: float} = 0.0)$H{ -> None}:
        self.owner = owner
        self.balance = balance
        self.history = []

    def deposit(self, amount$H{: float})$H{ -> None}:
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self.balance += amount
        self.history.append(("deposit", amount))

    def withdraw(self, amount$H{: float})$H{ -> None}:
        if amount <= 0:
            raise ValueError("withdrawal must be positive")
        if amount > self.balance:
            raise ValueError("insufficient funds")
        self.balance -= amount
        self.history.append(("withdraw", amount))
''', 'account = $C("Ada")\naccount.deposit(100)\naccount.withdraw(30)\nprint(account.balance, account.history)', cls="BankAccount")
add(K, 1, "", '''
class $C:
    $D{A shopping cart of items with quantities and prices.}

    def __init__(self)$H{ -> None}:
        self.items = {}

    def add(self, name$H{: str}, price$H{: float}, quantity$H{: int} = 1)$H{ -> None}:
        _, current = self.items.get(name, (price, 0))
        self.items[name] = (price, current + quantity)

    def remove(self, name$H{: str})$H{ -> None}:
        self.items.pop(name, None)

    def total(self)$H{ -> float}:
        return sum(price * qty for price, qty in self.items.values())
''', 'cart = $C()\ncart.add("apple", 0.5, 6)\ncart.add("bread", 2.25)\nprint(f"Total: {cart.total():.2f}")', cls="ShoppingCart")
add(K, 2, "", '''
@dataclass
class $C:
    $D{A point in the plane.}
    x: float
    y: float

    def distance_to(self, other$H{: "$C"})$H{ -> float}:
        return math.hypot(self.x - other.x, self.y - other.y)
''', 'print($C(0, 0).distance_to($C(3, 4)))', "import math\nfrom dataclasses import dataclass", cls="Point")
add(K, 3, "", '''
class $C:
    $D{A last-in, first-out stack.}

    def __init__(self)$H{ -> None}:
        self._items = []

    def push(self, item)$H{ -> None}:
        self._items.append(item)

    def pop(self):
        if not self._items:
            raise IndexError("pop from an empty stack")
        return self._items.pop()

    def peek(self):
        if not self._items:
            raise IndexError("peek at an empty stack")
        return self._items[-1]

    def __len__(self)$H{ -> int}:
        return len(self._items)
''', 'stack = $C()\nstack.push(1)\nstack.push(2)\nprint(stack.pop(), stack.peek(), len(stack))', cls="Stack")
add(K, 4, "", '''
class $C:
    $D{A minimal publish/subscribe event emitter.}

    def __init__(self)$H{ -> None}:
        self._handlers = {}

    def subscribe(self, event$H{: str}, handler)$H{ -> None}:
        self._handlers.setdefault(event, []).append(handler)

    def emit(self, event$H{: str}, *args, **kwargs)$H{ -> None}:
        for handler in self._handlers.get(event, []):
            handler(*args, **kwargs)
''', 'emitter = $C()\nemitter.subscribe("greet", lambda name: print(f"Hello, {name}!"))\nemitter.emit("greet", "Ada")', cls="EventEmitter")
add(K, 5, "", '''
class $C:
    $D{A temperature that converts between Celsius and Fahrenheit.}

    def __init__(self, celsius$H{: float})$H{ -> None}:
        self.celsius = celsius

    @property
    def fahrenheit(self)$H{ -> float}:
        return self.celsius * 9 / 5 + 32

    @classmethod
    def from_fahrenheit(cls, value$H{: float})$H{ -> "$C"}:
        return cls((value - 32) * 5 / 9)
''', 'print($C(100).fahrenheit, $C.from_fahrenheit(212).celsius)', cls="Temperature")

L = "general_cli"
add(L, 0, "parse_args", '''
def $F(argv=None)$H{ -> argparse.Namespace}:
    $D{Parse the command line: an input file, an output file and a verbose flag.}
    parser = argparse.ArgumentParser(description="Process an input file.")
    parser.add_argument("input", help="the input file")
    parser.add_argument("-o", "--output", default="out.txt", help="the output file")
    parser.add_argument("-v", "--verbose", action="store_true", help="print more details")
    return parser.parse_args(argv)
''', 'print($F(["data.txt", "-o", "result.txt", "-v"]))', "import argparse")
add(L, 1, "main", '''
def main()$H{ -> None}:
    $D{Print the number of words in each file named on the command line.}
    total = 0
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8", errors="replace") as fh:
            count = sum(len(line.split()) for line in fh)
        print(f"{count:8d} {path}")
        total += count
    if len(sys.argv) > 2:
        print(f"{total:8d} total")
''', 'main()', "import sys")
add(L, 2, "main", '''
TODO_FILE = "todo.json"


def load()$H{ -> list}:
    if not os.path.exists(TODO_FILE):
        return []
    with open(TODO_FILE, encoding="utf-8") as fh:
        return json.load(fh)


def save(tasks$H{: list})$H{ -> None}:
    with open(TODO_FILE, "w", encoding="utf-8") as fh:
        json.dump(tasks, fh, indent=2)


def main()$H{ -> None}:
    $D{A tiny to-do list: add, done and list commands.}
    parser = argparse.ArgumentParser(description="A tiny to-do list.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list")
    add = sub.add_parser("add")
    add.add_argument("text")
    done = sub.add_parser("done")
    done.add_argument("index", type=int)
    args = parser.parse_args()
    tasks = load()
    if args.command == "add":
        tasks.append({"text": args.text, "done": False})
    elif args.command == "done":
        tasks[args.index]["done"] = True
    else:
        for i, task in enumerate(tasks):
            mark = "x" if task["done"] else " "
            print(f"{i}. [{mark}] {task['text']}")
    save(tasks)
''', 'main()', "import argparse\nimport json\nimport os")
add(L, 3, "main", '''
def main()$H{ -> None}:
    $D{Read numbers from standard input and print their sum and mean.}
    numbers = [float(tok) for line in sys.stdin for tok in line.split()]
    if not numbers:
        print("no numbers given")
        return
    total = sum(numbers)
    print(f"sum: {total}")
    print(f"mean: {total / len(numbers)}")
''', 'main()', "import sys")

G = "general_data"
add(G, 0, "summarize", '''
def $F(numbers$H{: list[float]})$H{ -> dict[str, float]}:
    $D{Mean, median and standard deviation of the numbers.}
    if not numbers:
        raise ValueError("numbers must not be empty")
    return {
        "mean": statistics.mean(numbers),
        "median": statistics.median(numbers),
        "stdev": statistics.stdev(numbers) if len(numbers) > 1 else 0.0,
    }
''', 'print($F([2, 4, 4, 4, 5, 5, 7, 9]))', "import statistics")
add(G, 1, "count_status", r'''
LINE_RE = re.compile(r'"\S+ \S+ \S+" (\d{3}) ')


def $F(path$H{: str})$H{ -> dict[str, int]}:
    $D{Count the requests per HTTP status code in a web server access log.}
    counts = Counter()
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            match = LINE_RE.search(line)
            if match:
                counts[match.group(1)] += 1
    return dict(counts)
''', 'print($F("access.log"))', "import re\nfrom collections import Counter")
add(G, 2, "normalize", '''
def $F(values$H{: list[float]})$H{ -> list[float]}:
    $D{Scale the values linearly to the range 0 to 1.}
    if not values:
        return []
    lo, hi = min(values), max(values)
    if hi == lo:
        return [0.0 for _ in values]
    return [(v - lo) / (hi - lo) for v in values]
''', 'print($F([10, 20, 15, 30]))')
add(G, 3, "index_by_id", '''
def $F(records$H{: list[dict]})$H{ -> dict}:
    $D{Turn a list of records into a dict keyed by their id.}
    return {record["id"]: record for record in records}
''', 'print($F([{"id": 1, "name": "Ada"}, {"id": 2, "name": "Alan"}]))')
add(G, 4, "validate", '''
REQUIRED = {"id": int, "name": str, "email": str}


def $F(data$H{: dict})$H{ -> list[str]}:
    $D{Return the problems found; an empty list means the dict is valid.}
    problems = []
    for key, expected in REQUIRED.items():
        if key not in data:
            problems.append(f"missing key: {key}")
        elif not isinstance(data[key], expected):
            problems.append(f"{key} should be {expected.__name__}")
    return problems
''', 'print($F({"id": "7", "name": "Ada"}))')
add(G, 5, "sales_by_month", '''
def $F(sales$H{: list[dict]})$H{ -> dict[str, float]}:
    $D{Add up the sales per month (each record has "date" as YYYY-MM-DD and "amount").}
    totals = defaultdict(float)
    for sale in sales:
        totals[sale["date"][:7]] += sale["amount"]
    return dict(sorted(totals.items()))
''', 'print($F([{"date": "2024-01-05", "amount": 10.0}, {"date": "2024-01-20", "amount": 5.5}, {"date": "2024-02-01", "amount": 7.0}]))', "from collections import defaultdict")


def c(s):
    out = []
    for line in s.split("\n"):
        esc = line.replace("\\", "\\\\").replace('"', '\\"')
        out.append('"' + esc + '\\n"')
    return "\n        ".join(out[:-1]) if s.endswith("\n") else "\n        ".join(out)


print("/* Generated by tools/ref/solutions_general_gen.py: the answers to the general Python task")
print(" * templates of prompts_general.c, with the markers solutions_general.c expands. Do not edit;")
print(" * edit the generator and run it again. */")
print('#include "data/solutions_int.h"')
print()
print("const struct sol_gentry sol_general_tab[] = {")
for fam, k, fname, cls, n, imports, code, usage in T:
    print(f'    {{"{fam}", {k}, "{fname}", "{cls}", "{n}",')
    print(f"        {c(imports + chr(10)) if imports else chr(34) + chr(34)},")
    print(f"        {c(code)},")
    print(f"        {c(usage)}}},")
print("};")
print(f"const int sol_general_count = {len(T)};")
