# ReliefMesh — build, run and test. `make run` and `make test` are all a newcomer needs;
# both install what is missing first (see scripts/setup.sh).

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
GO_TAGS := webkit2_41
WAILS := go tool wails
BIN := build/bin
TEST_OUT := test-output

.PHONY: dist dist-check run build hub bench bench-full bench-micro test test-go test-frontend test-e2e test-gui test-standalone setup frontend screenshots clean

## run: install what is missing, build the desktop app and open it
run:
	@scripts/check-display.sh
	@$(MAKE) --no-print-directory build
	$(BIN)/reliefmesh $(ARGS)

## setup: system packages (apt-get), npm modules, Go modules
setup:
	@scripts/setup.sh

frontend/node_modules/.installed: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

## frontend: the production frontend bundle in frontend/dist
frontend: setup frontend/node_modules/.installed
	cd frontend && npm run build

## build: the production desktop binary, build/bin/reliefmesh
build: setup frontend/node_modules/.installed
	$(WAILS) build -tags $(GO_TAGS) -m -nosyncgomod
	@test -x $(BIN)/reliefmesh || { echo "build failed: $(BIN)/reliefmesh was not produced"; exit 1; }

## dist: the release files in dist/ (the .deb, the Windows installer and portable zip,
## the hubs for linux/amd64, linux/arm64, windows/amd64), SHA256SUMS and its signature
## (RELIEFMESH_RELEASE_KEY; the TEST-ONLY key without it). See README: Installers.
dist: setup frontend/node_modules/.installed
	scripts/dist.sh

## dist-check: checks dist/ (sums, signature, Windows files) and installs, starts under
## Xvfb and removes the .deb (needs root)
dist-check:
	scripts/dist-check.sh $(TEST_OUT)

## hub: the headless hub, no cgo, build/bin/reliefmesh-hub
hub:
	CGO_ENABLED=0 go build -o $(BIN)/reliefmesh-hub ./cmd/reliefmesh-hub

bench/node_modules/.installed: bench/package-lock.json
	cd bench && npm ci --no-audit --no-fund
	@touch $@

## bench: quick run of bench/ (< 2 min): machine limits, ingest, catch-up, live latency,
## side by side with Automerge, Yjs, PouchDB; prints a table, writes bench/results/latest.{md,json}
bench: bench/node_modules/.installed
	cd bench && go run ./cmd/rmbench

## bench-full: the sizes BENCHMARKS.md reports (≈ 15 min); writes bench/results/full.{md,json}
bench-full: bench/node_modules/.installed
	cd bench && go run ./cmd/rmbench -full -out results/full

## bench-micro: the packages' Go benchmarks (ledger, relief, store)
bench-micro:
	go test -run '^$$' -bench . -benchtime 2000x ./ledger/ ./relief/ ./store/

## test: every test: Go (race), frontend unit, end-to-end in Chromium, GUI smoke
test: test-go test-frontend test-e2e test-gui

test-go: setup bench/node_modules/.installed
	go vet ./...
	go test -race -count=1 -timeout 30m ./...
	cd bench && go vet ./... && go test -count=1 ./...

test-frontend: setup frontend/node_modules/.installed
	cd frontend && npm run check && npm test

test-e2e: build hub
	cd frontend && npm run e2e

test-gui: build
	scripts/gui-smoke.sh $(BIN)/reliefmesh $(TEST_OUT)
	scripts/second-launch.sh $(BIN)/reliefmesh $(TEST_OUT)
	scripts/check-bindings-home.sh

## test-standalone: the repository tests itself alone. Clones the committed HEAD (not the
## working tree's changes) into a new empty temporary folder, so no ../shared or other
## sibling exists, and runs the Go tests of both modules there, without -race (CI runs
## this before `make test`; see .ci/run). The folder is removed afterwards.
test-standalone: setup
	@tmp=$$(mktemp -d "$${TMPDIR:-/tmp}/reliefmesh-standalone.XXXXXX") && trap 'rm -rf "$$tmp"' EXIT && \
	rev=$$(git rev-parse HEAD) && \
	git clone --quiet --no-local --no-checkout . "$$tmp/reliefmesh" && \
	cd "$$tmp/reliefmesh" && git checkout --quiet --detach "$$rev" && \
	echo "test-standalone: $$(git rev-parse --short HEAD) alone in $$tmp (beside it: $$(ls -A .. | tr '\n' ' '))" && \
	go vet ./... && go test -count=1 ./... && \
	cd bench && npm ci --no-audit --no-fund --prefer-offline && go vet ./... && go test -count=1 ./...

## screenshots: docs/screenshots/*.png, every screen at 1280×800 in Chinese with the
## 2020 Wuhan practice network loaded (real backend under wails dev, headless Chromium)
screenshots: setup frontend/node_modules/.installed
	cd frontend && npm run build && node e2e/screenshots.mjs

clean:
	rm -rf $(BIN) frontend/dist frontend/node_modules $(TEST_OUT) dist
