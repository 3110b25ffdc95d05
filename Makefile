# The two commands: `make run` and `make test`. Both install what they need (Debian packages).
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)

.PHONY: all deps build run test bench clean

all: build

deps:
	scripts/install-deps.sh

build: deps
	cmake -S . -B build -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null
	cmake --build build -j$(JOBS)

run: build
	scripts/run.sh

test: build
	scripts/test.sh

bench: build
	scripts/bench.sh

clean:
	rm -rf build
