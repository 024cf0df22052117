/* The rest of the prompt tables: general Python task families (so a model trained on these
 * prompts is not a one-trick HTTP model), sentence frames (each in the train or the test split),
 * scene-setting context sentences and constraints. Data only; docs/prompts.md lists it. */
#include "data/prompts.h"
#include <stddef.h>

#define NONE DP_PLIB_BIT(DP_PLIB_NONE)

static const char *const g_strings[] = {
    "check whether a string is a palindrome, ignoring case and punctuation",
    "count how often each word appears in a text and return the {n} most common ones",
    "convert a string from camelCase to snake_case",
    "collapse repeated whitespace in a string and trim both ends",
    "find the longest common prefix of a list of strings",
    "validate an email address with a regular expression",
    "reverse the order of the words in a sentence",
    "shorten a text to {n} characters without cutting a word in half", NULL};
static const char *const g_collections[] = {
    "merge two dictionaries, adding up the values of keys they share",
    "group a list of dicts by the value of one key",
    "flatten a nested list of any depth",
    "remove duplicates from a list while keeping the original order",
    "split a list into chunks of size {n}",
    "find the {n} largest numbers in a list",
    "sort a list of dicts by two keys, the second one descending",
    "invert a dictionary whose values may repeat", NULL};
static const char *const g_files[] = {
    "read a CSV file and compute the average of one column",
    "find all .py files under a folder and count their lines",
    "rename every file in a directory to lower case",
    "read a JSON config file and fall back to defaults for missing keys",
    "write a list of dicts to a CSV file with a header row",
    "print the last {n} lines of a large log file without reading all of it",
    "compute the SHA-256 checksum of a file in chunks",
    "delete the files older than {n} days from a folder", NULL};
static const char *const g_algorithms[] = {
    "implement binary search on a sorted list",
    "compute the nth Fibonacci number with memoization",
    "check whether a number is prime",
    "implement a simple LRU cache",
    "find the shortest path in a grid with breadth-first search",
    "compute the greatest common divisor of a list of numbers",
    "generate all permutations of a string",
    "implement merge sort", NULL};
static const char *const g_dates[] = {
    "parse a date string in ISO 8601 format and return the weekday",
    "count the business days between two dates",
    "convert a UTC timestamp to a given time zone",
    "format a duration in seconds as hours, minutes and seconds",
    "list all the Mondays of a given month",
    "check whether a year is a leap year", NULL};
static const char *const g_classes[] = {
    "write a class for a bank account with deposit, withdraw and a transaction history",
    "model a shopping cart with items, quantities and a total price",
    "create a dataclass for a 2D point with a method for the distance to another point",
    "implement a stack class with push, pop and peek",
    "write a simple event emitter class with subscribe and emit methods",
    "create a Temperature class that converts between Celsius and Fahrenheit", NULL};
static const char *const g_cli[] = {
    "parse command-line arguments for an input file, an output file and a verbose flag",
    "write a command-line tool that counts the words in the files given as arguments",
    "build a small to-do list CLI that keeps the tasks in a JSON file",
    "read numbers from standard input and print their sum and their mean", NULL};
static const char *const g_data[] = {
    "compute the mean, median and standard deviation of a list of numbers",
    "parse a web server log file and count the requests per status code",
    "scale a list of numbers to the range 0 to 1",
    "turn a list of records into a dict keyed by their id",
    "check that a dict has the required keys with the right types",
    "add up sales records by month", NULL};

static const char *const gf_strings[] = {"is_palindrome", "top_words", "to_snake_case", "normalize", NULL};
static const char *const gf_coll[] = {"merge_counts", "group_by", "flatten", "chunks", NULL};
static const char *const gf_files[] = {"column_average", "count_lines", "load_config", "checksum", NULL};
static const char *const gf_algo[] = {"binary_search", "fib", "is_prime", "shortest_path", NULL};
static const char *const gf_dates[] = {"weekday_of", "business_days", "format_duration", NULL};
static const char *const gf_classes[] = {"BankAccount", "ShoppingCart", "Point", "Stack", NULL};
static const char *const gf_cli[] = {"main", "parse_args", "run", NULL};
static const char *const gf_data[] = {"summarize", "count_status", "normalize", "validate", NULL};

#define GFAM(id, desc, tasks, fn) {id, desc, true, DP_PSPLIT_TRAIN, NONE, tasks, -1, fn}
static const struct dp_pfamily general_families[] = {
    GFAM("general_strings", "string processing", g_strings, gf_strings),
    GFAM("general_collections", "lists and dicts", g_collections, gf_coll),
    GFAM("general_files", "files and folders", g_files, gf_files),
    GFAM("general_algorithms", "classic algorithms", g_algorithms, gf_algo),
    GFAM("general_dates", "dates and times", g_dates, gf_dates),
    GFAM("general_classes", "small classes", g_classes, gf_classes),
    GFAM("general_cli", "command-line programs", g_cli, gf_cli),
    GFAM("general_data", "data wrangling", g_data, gf_data),
};

const struct dp_pfamily *dp_pfamilies_general(int *n)
{
    *n = (int)(sizeof general_families / sizeof general_families[0]);
    return general_families;
}

/* ---- frames --------------------------------------------------------------------------------- */

#define TR DP_PSPLIT_TRAIN
#define TE DP_PSPLIT_TEST
static const struct dp_pframe frames[] = {
    {"f01", "Write a Python function to {task}{lib}.", TR},
    {"f02", "How do I {task} in Python{lib}?", TR},
    {"f03", "I need to {task}. Can you write the Python code{lib}?", TR},
    {"f04", "Write a Python script that will {task}{lib}.", TR},
    {"f05", "Can you show me how to {task}{lib}?", TR},
    {"f06", "Please write code to {task}{lib}.", TR},
    {"f07", "Implement a function `{fname}` to {task}{lib}.", TR},
    {"f08", "Create a Python helper that can {task}{lib}.", TR},
    {"f09", "Give me a Python snippet to {task}{lib}.", TR},
    {"f10", "{Task}{lib}.", TR},
    {"f11", "{Task} in Python{lib}.", TR},
    {"f12", "I'm trying to {task}{lib}. What would the code look like?", TR},
    {"f13", "Could you write a small Python program to {task}{lib}?", TR},
    {"f14", "Write a function called {fname} that should {task}{lib}.", TR},
    {"f15", "Show a minimal example of how to {task}{lib}.", TR},
    {"f16", "Help me write Python that can {task}{lib}.", TR},
    {"f17", "What's the cleanest way to {task} in Python{lib}?", TR},
    {"f18", "Using Python 3, {task}{lib}.", TR},
    {"f19", "I want a reusable function to {task}{lib}.", TR},
    {"f20", "Need Python code to {task}{lib}, please.", TR},
    {"f21", "Write an example that shows how to {task}{lib}.", TR},
    {"f22", "Python: {task}{lib}.", TR},
    {"f23", "Write the code for a function that needs to {task}{lib}.", TR},
    {"f24", "My task is to {task}{lib}. Please provide a Python solution.", TR},
    {"f25", "Show me Python code that can {task}{lib}.", TR},
    {"f26", "Can you help me {task}{lib}?", TR},
    {"t01", "What is a good way to {task}{lib}? Please include the code.", TE},
    {"t02", "Could you put together a Python module that is able to {task}{lib}?", TE},
    {"t03", "Our team needs a utility to {task}{lib}. Write it in Python.", TE},
    {"t04", "In a Python project I have to {task}{lib}. How should I write it?", TE},
    {"t05", "Draft a Python function named {fname} whose job is to {task}{lib}.", TE},
    {"t06", "Quick question: how would you {task} with Python{lib}?", TE},
    {"t07", "Write production-ready Python code to {task}{lib}.", TE},
    {"t08", "Provide an implementation that lets me {task}{lib}.", TE},
    {"t09", "I'd like a self-contained Python example to {task}{lib}.", TE},
    {"t10", "Teach me to {task} in Python{lib}, with a complete code sample.", TE},
};

const struct dp_pframe *dp_pframes(int *n)
{
    *n = (int)(sizeof frames / sizeof frames[0]);
    return frames;
}

/* ---- context sentences and constraints ------------------------------------------------------ */

static const char *const ctx_http[] = {
    "I'm building a dashboard for our support team.", "This is for a nightly cron job.",
    "We have a microservice that talks to a partner API.", "I'm writing a Django management command.",
    "It's part of a data pipeline that runs in Airflow.", "I'm new to Python.",
    "This will run inside an AWS Lambda function.", "I'm automating a boring manual task at work.",
    "The code goes into a Flask app.", "It's for a small home-automation project on a Raspberry Pi.",
    "We're replacing a shell script that used curl.", "I'm writing an integration test.",
    "It runs in a Jupyter notebook.", "This is for a Discord bot I'm making.",
    "It's a one-off migration script.", "The script runs on a Windows laptop.", NULL};
static const char *const ctx_general[] = {
    "I'm preparing for a coding interview.", "This is for a data-cleaning script.",
    "I'm learning Python.", "It's part of a larger command-line tool.",
    "We process log files every night.", "It's for a homework exercise.",
    "I want to use it in a Jupyter notebook.", "It will run on Python 3.11.", NULL};

const char *const *dp_pcontexts(bool general) { return general ? ctx_general : ctx_http; }

#define HTTP_ONLY DP_PC_HTTP
#define BOTH (DP_PC_HTTP | DP_PC_GENERAL)
#define LIBS_ALL (DP_PLIB_HTTP | NONE)
#define SESSION_LIBS (DP_PLIB_BIT(DP_PLIB_ANY) | DP_PLIB_BIT(DP_PLIB_REQUESTS) | \
                      DP_PLIB_BIT(DP_PLIB_HTTPX) | DP_PLIB_BIT(DP_PLIB_AIOHTTP))
#define ASYNC_LIBS (DP_PLIB_BIT(DP_PLIB_ANY) | DP_PLIB_BIT(DP_PLIB_HTTPX))
static const struct dp_pconstraint constraints[] = {
    {"Use a timeout of {secs} seconds.", DP_PLIB_HTTP, HTTP_ONLY},
    {"Handle HTTP errors and connection errors gracefully.", DP_PLIB_HTTP, HTTP_ONLY},
    {"Raise an exception for non-2xx responses.", DP_PLIB_HTTP, HTTP_ONLY},
    {"Return None if the request fails.", DP_PLIB_HTTP, HTTP_ONLY},
    {"Read the base URL from an environment variable.", DP_PLIB_HTTP, HTTP_ONLY},
    {"Set a custom User-Agent header.", DP_PLIB_HTTP, HTTP_ONLY},
    {"Use a session so connections are reused.", SESSION_LIBS, HTTP_ONLY},
    {"Make it async.", ASYNC_LIBS, HTTP_ONLY},
    {"Stream the response instead of loading it all into memory.", DP_PLIB_HTTP, DP_PC_DOWNLOAD},
    {"Add type hints.", LIBS_ALL, BOTH},
    {"Include a docstring.", LIBS_ALL, BOTH},
    {"Log failures with the logging module.", LIBS_ALL, BOTH},
    {"Keep it short.", LIBS_ALL, BOTH},
    {"Don't print anything; return the data.", LIBS_ALL, BOTH},
    {"Add a short example of how to call it.", LIBS_ALL, BOTH},
    {"Explain the code briefly after it.", LIBS_ALL, BOTH},
    {"Put it in a main() function with an if __name__ == \"__main__\" guard.", LIBS_ALL, BOTH},
    {"Use pathlib for file paths.", LIBS_ALL, DP_PC_DOWNLOAD | DP_PC_GENERAL},
    {"Handle invalid input by raising ValueError.", NONE, DP_PC_GENERAL},
    {"Don't use any third-party libraries.", NONE, DP_PC_GENERAL},
    {"Make it efficient for large inputs.", NONE, DP_PC_GENERAL},
    {"Write it as a single function.", NONE, DP_PC_GENERAL},
};

const struct dp_pconstraint *dp_pconstraints(int *n)
{
    *n = (int)(sizeof constraints / sizeof constraints[0]);
    return constraints;
}
