# Build and tests.
TEST_RESULTS := artifacts/test-results

.PHONY: deps deps-check build test
deps: ## Install the Debian packages the tests need (apt-get, as root or with sudo; idempotent): run once before make test
	@bash scripts/install-deps.sh

# make test never installs anything: it stops at once, naming `make deps`, when a package the tests need is missing.
deps-check:
	@bash scripts/install-deps.sh --check

build: ## Build the whole solution
	$(DOTNET) build RetrievalSystem.sln -c $(CONFIG)

test: deps-check ## Run every test project; ends with "N passed, N failed" (after make deps)
	@rm -rf $(TEST_RESULTS)
	@set +e; $(DOTNET) test RetrievalSystem.sln -c $(CONFIG) --logger trx --results-directory $(TEST_RESULTS); rc=$$?; \
	  bash scripts/test-summary.sh $(TEST_RESULTS); exit $$rc
