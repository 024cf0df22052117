# dpoison — one Makefile: libdpoison.a, the dpoison CLI, tests, sanitizers, fuzzers.
CC      ?= cc
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
WARN    := -std=c11 -Wall -Wextra -Wno-unused-parameter -D_GNU_SOURCE
ifeq ($(CI),true)
WARN    += -Werror
endif
CPPFLAGS := -Isrc -MMD -MP
LDLIBS  := -lm -lpthread -lpcre2-8
BUILD   ?= build

LIB_SRC  := $(sort $(shell find src -name '*.c' -not -path 'src/cli/*'))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(shell find tests -name 'test_*.c'))
BENCH_SRC := $(sort $(wildcard bench/*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:%.c=$(BUILD)/%)
BENCH_BIN := $(BENCH_SRC:%.c=$(BUILD)/%)

.PHONY: all test asan fuzz clean
all: $(BUILD)/dpoison dpoison

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -c $< -o $@

$(BUILD)/libdpoison.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/dpoison: $(CLI_OBJ) $(BUILD)/libdpoison.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

dpoison: $(BUILD)/dpoison
	@ln -sf $(BUILD)/dpoison dpoison

$(BUILD)/tests/%: tests/%.c $(BUILD)/libdpoison.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -Itests -o $@ $< $(BUILD)/libdpoison.a $(LDLIBS)

# The benchmarks' C sides (bench/*.sh run them; tests/bench/ checks they run and print their keys).
$(BUILD)/bench/%: bench/%.c bench/peak.h $(BUILD)/libdpoison.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -o $@ $< $(BUILD)/libdpoison.a $(LDLIBS)

# Every test: unit binaries and script tests; ends with "N passed, N failed".
test: $(BUILD)/dpoison $(TEST_BIN) $(BENCH_BIN)
	@BUILD=$(BUILD) DPOISON=$(BUILD)/dpoison sh tests/run.sh

# The same tests under AddressSanitizer + UndefinedBehaviorSanitizer, in a separate build tree.
asan:
	$(MAKE) BUILD=build-asan CC=clang OPT=-O1 \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" test

# libFuzzer targets (fuzz/fuzz_*.c) built with clang; FUZZ_SECONDS bounds each run. Seeds:
# fuzz/seeds/<target>/ plus the folders listed in fuzz/seeds/<target>.dirs (test corpora).
FUZZ_SECONDS ?= 60
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
fuzz:
	$(MAKE) BUILD=build-fuzz CC=clang OPT=-O1 CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" build-fuzz/libdpoison.a
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  clang -std=c11 -D_GNU_SOURCE -Isrc $(FUZZ_FLAGS) -o build-fuzz/$$n $$f build-fuzz/libdpoison.a $(LDLIBS) || exit 1; \
	  mkdir -p build-fuzz/corpus-$$n; \
	  build-fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -artifact_prefix=build-fuzz/ \
	    build-fuzz/corpus-$$n fuzz/seeds/$$n $$(cat fuzz/seeds/$$n.dirs 2>/dev/null) \
	    >build-fuzz/$$n.log 2>&1 || { tail -40 build-fuzz/$$n.log; exit 1; }; \
	  tail -2 build-fuzz/$$n.log; \
	done

clean:
	rm -rf build build-asan build-fuzz dpoison

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
