# caremap: `make run` builds and serves; `make test` runs every test. Both install what is missing.

SHELL := /bin/bash
# .tools/ holds build tools from npm: a wasm-opt new enough for what rustc emits today.
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

CARGO_LEPTOS_VERSION := 0.3.10
# wasm-bindgen's command-line tool must match the library version locked in Cargo.lock exactly.
WASM_BINDGEN_VERSION = $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"$$/\1/p;}' Cargo.lock)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages are installed only when missing, after refreshing the package lists.
APT_INSTALL := $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq

.PHONY: run build test lint test-rust test-browser bench tools browser-tools clean

run: build
	./target/release/caremap

# --precompress: the static files are compressed once here (gzip and brotli at their maximum),
# not on each request.
build: tools
	cargo leptos build --release --precompress

test: lint build browser-tools test-rust test-browser

# Formatting and lints are gates: the server build and the browser build, tests included.
lint: tools
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --features app/ssr -- -D warnings
	cargo clippy -p app --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

test-rust:
	# The dev profile keeps test builds apart from the release build they test, so neither
	# invalidates the other.
	cargo test --workspace --features app/ssr

test-browser:
	cd tests/browser && node --test --test-concurrency=1

bench: build browser-tools
	@command -v wrk >/dev/null || ($(APT_INSTALL) wrk)
	tests/bench/http-load.sh
	node tests/bench/map-render.mjs
	node tests/bench/page-weight.mjs
	cargo bench -p app --bench programme_rollup
	@python3 -c 'import openpyxl' 2>/dev/null || pip install --quiet openpyxl==3.1.5
	cargo bench -p app --features ssr --bench spreadsheet_roundtrip

tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy
	@rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
	@cargo leptos --version 2>/dev/null | grep -qF "$(CARGO_LEPTOS_VERSION)" \
		|| cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked --features no_downloads
	@wasm-bindgen --version 2>/dev/null | grep -qF "$(WASM_BINDGEN_VERSION)" \
		|| cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@command -v npm >/dev/null || ($(APT_INSTALL) nodejs npm)
	@[ .tools/node_modules/.package-lock.json -nt .tools/package-lock.json ] \
		|| (cd .tools && npm ci --no-audit --no-fund)

browser-tools: tools
	@command -v chromium >/dev/null || ($(APT_INSTALL) chromium)
	@# LibreOffice checks that exported Word and spreadsheet files convert to PDF, and made the
	@# spreadsheet fixtures; pdftotext reads the PDF back.
	@command -v soffice >/dev/null || ($(APT_INSTALL) libreoffice-writer-nogui)
	@dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || ($(APT_INSTALL) libreoffice-calc-nogui)
	@command -v pdftotext >/dev/null || ($(APT_INSTALL) poppler-utils)
	@[ tests/browser/node_modules/.package-lock.json -nt tests/browser/package-lock.json ] \
		|| (cd tests/browser && npm ci --no-audit --no-fund)

clean:
	cargo clean
	rm -rf tests/browser/node_modules .tools/node_modules
