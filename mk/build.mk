# Build and tests.
TEST_RESULTS := artifacts/test-results

.PHONY: deps deps-check build test
deps: ## Install the Debian packages the tests need (apt-get, as root or with sudo; idempotent): run once before make test
	@bash scripts/install-deps.sh

# make test never installs anything: it stops at once, naming `make deps`, when a package the tests need is missing.
deps-check:
	@bash scripts/install-deps.sh --check

build: ## Build the whole solution
	$(DOTNET) build RetrievalSystem.sln -c $(CONFIG) $(GPU_PROPS)

# The solution is built before any test runs: some tests run make targets that build projects themselves (make train),
# and a build racing `dotnet test`'s own per-project builds can fail on files the other is writing.
test: deps-check build ## Run every test project; ends with "N passed, N failed" and names each failed test (after make deps)
	@rm -rf $(TEST_RESULTS)
	@set +e; $(DOTNET) test RetrievalSystem.sln -c $(CONFIG) --no-build --logger trx --results-directory $(TEST_RESULTS); rc=$$?; \
	  bash scripts/test-summary.sh $(TEST_RESULTS); exit $$rc
