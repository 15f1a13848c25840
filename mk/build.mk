# Build and tests.
TEST_RESULTS := artifacts/test-results

.PHONY: deps build test
deps: ## Install the system packages builds and tests need (apt; idempotent)
	@bash scripts/install-deps.sh

build: ## Build the whole solution
	$(DOTNET) build RetrievalSystem.sln -c $(CONFIG)

test: deps ## Run every test project; ends with "N passed, N failed"
	@rm -rf $(TEST_RESULTS)
	@set +e; $(DOTNET) test RetrievalSystem.sln -c $(CONFIG) --logger trx --results-directory $(TEST_RESULTS); rc=$$?; \
	  bash scripts/test-summary.sh $(TEST_RESULTS); exit $$rc
