# chorus developer and CI targets. See .ci/test.sh and .ci/services.sh.
#
#   make test                     gofmt check, go vet, services, go test -race
#   make bench [PKG=./chain/] [BENCH=Regexp]
#   make fmt | make vet
#   eval "$$(make -s services-up)"; ...; make services-down

SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin:$(HOME)/go/bin

PKG ?= $(if $(BENCH_PKG),$(BENCH_PKG),./...)
BENCH ?= .

GO_FILES = find . -type f -name '*.go' -not -path './.*' -not -path '*/testdata/*' -not -path './vendor/*' -print0

.PHONY: test bench fmt vet services-up services-down services-install

test:
	@bash .ci/test.sh test

bench:
	@CHORUS_BENCH_PKG='$(PKG)' CHORUS_BENCH='$(BENCH)' bash .ci/test.sh bench

fmt:
	@$(GO_FILES) | xargs -0 -r gofmt -w

vet:
	go vet ./...

# Install PostgreSQL 15 + pgvector and Tesseract if missing (needs root).
services-install:
	@bash .ci/services.sh install

# Start a PostgreSQL cluster that stays up; prints the export line for
# CHORUS_TEST_DATABASE_URL (use: eval "$$(make -s services-up)").
services-up:
	@bash .ci/services.sh up

services-down:
	@bash .ci/services.sh down
