# Kessai: `make run` builds everything and starts the demo; `make test` runs
# every test, the browser end-to-end tests included, and the storage and API
# tests once more on PostgreSQL (docs/postgres.md, "Tests").

GO      ?= go
ADDR    ?= :8080
DATA    ?= kessai-data
WASM    := embed/web/app.wasm
GOFILES := $(shell find . -name '*.go' -not -path './e2e/*')
WASMSRC := $(shell find wasm widget api -name '*.go' -not -name '*_test.go')

.PHONY: all build run test unit e2e wasm bench bench-size bench-click vet chromium postgresql nodejs clean

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
	$(GO) test ./api/... ./widget/... ./server/... ./examples/... ./cmd/... ./wasm/... ./archtest/... ./bench/...
	node --test embed/static/
	KESSAI_TEST_DATABASE=postgres $(GO) test ./server/

# Browser tests: Debian's Chromium, installed here when it is missing; the
# official Node SDK against the server; two servers on one PostgreSQL
# database (e2e/multiprocess_test.go).
e2e: build chromium postgresql e2e/sdk/node_modules/univapay-node
	KESSAI_BIN=$(CURDIR)/bin/kessai $(GO) test -count=1 -timeout 15m ./e2e/...

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

bench: $(WASM).br
	$(GO) test -run '^$$' -bench . -benchmem ./api/... ./widget/... ./server/...

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
