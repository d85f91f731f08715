# The two commands a fresh machine needs are `make demo` and `make test`; both install what
# is missing first (scripts/install-deps is idempotent and quick when nothing is missing).
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 20
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
# The black-box tests wait on servers, PostgreSQL and the browser about half of their time: two
# per core keep the cores busy (the fuzzers, which never wait, run one per core)
TEST_JOBS  ?= $(shell echo $$(( $(JOBS) * 2 )))
DEMO_DIR   ?= demo
DEMO_N     ?= 20000

.PHONY: all deps build web test test-sanitize demo format format-check clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# The web UI (web/, preact + esbuild) into web/dist; npm ci only when the lock file changed.
web:
	@scripts/build-web

test: deps build web
	cd $(BUILD) && ctest --output-on-failure -j $(TEST_JOBS)

$(ASAN_BUILD)/CMakeCache.txt:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DBAOXUE_SANITIZE=ON

$(FUZZ_BUILD)/CMakeCache.txt:
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBAOXUE_FUZZ=ON

# G_SLICE=always-malloc: glib's slab allocator would hide a leaked pango object from LeakSanitizer;
# tests/lsan.supp lists what fontconfig, cairo and FreeXL lose on their own. Then each fuzzer of
# fuzz/ (clang, libFuzzer) runs FUZZ_SECONDS over its corpus (ctest -L fuzz).
test-sanitize: deps web $(ASAN_BUILD)/CMakeCache.txt $(FUZZ_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 G_SLICE=always-malloc \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(TEST_JOBS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzzers
	cd $(FUZZ_BUILD) && cmake -DBAOXUE_FUZZ_SECONDS=$(FUZZ_SECONDS) . >/dev/null && \
	  ctest --output-on-failure -j $(JOBS) -L fuzz

# Ends with the server running on the demo county (Ctrl-C stops it); DEMO_LISTEN to change it.
DEMO_LISTEN ?= 127.0.0.1:8080
demo: deps build web
	$(BUILD)/baoxue demo --out $(DEMO_DIR) --children $(DEMO_N)
	@scripts/demo-serve $(BUILD)/baoxue $(DEMO_DIR) $(DEMO_LISTEN)

format:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 'fuzz/*.c' 'fuzz/*.h')

format-check:
	clang-format --dry-run -Werror $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 'fuzz/*.c' 'fuzz/*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
