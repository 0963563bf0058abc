# Kessai: `make run` builds everything and starts the demo; `make test` runs
# every test, the browser end-to-end tests included, and the storage and API
# tests once more on PostgreSQL (docs/postgres.md, "Tests").

GO      ?= go
ADDR    ?= :8080
DATA    ?= kessai-data
WASM    := embed/web/app.wasm
GOFILES := $(shell find . -name '*.go' -not -path './e2e/*')
WASMSRC := $(shell find wasm widget api -name '*.go' -not -name '*_test.go')

.PHONY: all build run test unit e2e wasm bench bench-go bench-api bench-size bench-click soak vet chromium postgresql nodejs clean screenshots

all: build

build: bin/kessai

wasm: $(WASM).br

# The checkout app: a client-only main, compiled to WebAssembly. Inlining is
# off outside the runtime: it makes the wasm 5 % smaller once compressed
# (docs/performance.md, "Wasm"), and the app's own code is not hot.
WASMFLAGS := -trimpath -gcflags=all=-l -gcflags=runtime/...= -gcflags=internal/...=
$(WASM): $(WASMSRC) $(shell find third_party -name '*.go') go.mod go.sum
	GOOS=js GOARCH=wasm $(GO) build $(WASMFLAGS) -ldflags="-s -w" -o $@ ./wasm

# Pre-compressed once per build; the server sends these as they are.
$(WASM).br: $(WASM) embed/precompress/main.go
	$(GO) run ./embed/precompress $(WASM)

bin/kessai: $(WASM).br $(GOFILES) $(wildcard embed/static/*) $(wildcard examples/pages/*) go.mod go.sum
	$(GO) build -trimpath -o $@ ./cmd/kessai

run: build
	./bin/kessai serve --addr $(ADDR) --data $(DATA)

test: vet unit e2e

vet: $(WASM).br
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./wasm/ ./widget/ ./api/

# The storage conformance suite (server/postgres) and cmd/kessai start their
# own PostgreSQL; the API tests of server run a second time on it.
unit: $(WASM).br postgresql nodejs
	$(GO) test ./api/... ./widget/... ./server/... ./examples/... ./cmd/... ./wasm/... ./archtest/... ./bench/... ./internal/... ./soak/...
	node --test embed/static/
	KESSAI_TEST_DATABASE=postgres $(GO) test ./server/

# Browser tests: Debian's Chromium, installed here when it is missing; the
# official Node SDK against the server; two servers on one PostgreSQL
# database (e2e/multiprocess_test.go); the TypeScript compiler against the
# served declarations (e2e/ts_test.go).
e2e: build chromium postgresql e2e/sdk/node_modules/univapay-node e2e/ts/node_modules/typescript
	KESSAI_BIN=$(CURDIR)/bin/kessai $(GO) test -count=1 -timeout 15m ./e2e/...

# The README's screenshots of the checkout form (docs/img): Japanese and
# English, desktop and a 360 px wide phone, with field errors. `make test`
# runs the same test without KESSAI_SCREENSHOTS, which writes nothing.
screenshots: build chromium
	KESSAI_BIN=$(CURDIR)/bin/kessai KESSAI_SCREENSHOTS=$(CURDIR)/docs/img $(GO) test -count=1 -run '^TestScreenshots$$' ./e2e/

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing Chromium (Debian package)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Debian's PostgreSQL server binaries (/usr/lib/postgresql/*/bin), installed
# here when they are missing. The tests start their own server from them;
# the cluster the package creates and starts is not used.
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
		echo "installing PostgreSQL (Debian package)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }

nodejs:
	@command -v npm >/dev/null 2>&1 || { \
		echo "installing Node.js (Debian package)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }

e2e/sdk/node_modules/univapay-node: e2e/sdk/package.json e2e/sdk/package-lock.json | nodejs
	cd e2e/sdk && npm ci --no-audit --no-fund
	@touch $@

e2e/ts/node_modules/typescript: e2e/ts/package.json e2e/ts/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
		echo "installing Node.js (Debian package)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	cd e2e/ts && npm ci --no-audit --no-fund
	@touch $@

# Performance (docs/performance.md): the Go benchmarks of the hot paths,
# with allocations (the list cost at 10^3 and 10^6 charges among them); the
# load run against Kessai and stripe-mock (installed here), limits off, a
# fresh data directory; the sizes of the loader and the wasm; click to
# interactive.
bench: bench-go bench-api bench-size bench-click

bench-go: $(WASM).br
	$(GO) test -run '^$$' -bench . -benchmem ./api/... ./widget/... ./server/... ./cmd/kessai/

STRIPE_MOCK ?= $(or $(shell $(GO) env GOBIN),$(shell $(GO) env GOPATH)/bin)/stripe-mock

$(STRIPE_MOCK):
	$(GO) install github.com/stripe/stripe-mock@latest

bench-api: build $(STRIPE_MOCK)
	$(GO) run ./cmd/kessai-bench --kessai bin/kessai --stripe-mock $(STRIPE_MOCK)


# The long hardening runs (docs/threat-model.md): every fuzz target for
# SOAK_FUZZTIME, then load, slow clients, a poll flood and SIGKILLs under
# load against the built binary. Prints its figures; fails on any loss.
SOAK_FUZZTIME ?= 60s
soak: build
	$(GO) run ./soak -bin bin/kessai -fuzztime $(SOAK_FUZZTIME)

# The loader's and the wasm's sizes against their budgets, and the wasm's
# code by package (read from a build that keeps the name section).
bench-size: $(WASM).br
	GOOS=js GOARCH=wasm $(GO) build $(WASMFLAGS) -o bin/app.symbols.wasm ./wasm
	$(GO) run ./bench/size -wasm $(WASM) -symbols bin/app.symbols.wasm

# Click to interactive: Kessai's checkout against a plain HTML card form in a
# cross-origin iframe, prewarmed and cold, in headless Chromium.
bench-click: build chromium
	$(GO) run ./bench/click -bin bin/kessai -n 20

clean:
	rm -rf bin $(WASM) $(WASM).br $(WASM).gz
