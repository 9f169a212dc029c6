# Signpost. The two commands a newcomer needs: `make run` and `make test`.
SHELL    := bash
GO       ?= go
DATA_DIR ?= $(CURDIR)/.data
PKGS     := github.com/signpost/signpost/...

.PHONY: run test vet build model eval cv bench stop-postgres tidy fuzz soak

## run: start the whole system (embedded NATS, local Postgres) until Ctrl+C
run:
	@url=$$(scripts/ensure-postgres.sh "$(DATA_DIR)" signpost) && \
	  DATABASE_URL="$$url" DATA_DIR="$(DATA_DIR)" LOG_FORMAT="$${LOG_FORMAT:-console}" \
	  $(GO) run ./services/signpost/cmd/signpost

## test: every module's tests with -race, against real Postgres, a real NATS server and headless
## Chromium; promtool checks the alert rules
test: vet
	@url=$$(scripts/ensure-postgres.sh "$(DATA_DIR)" postgres) && \
	  chromium=$$(scripts/ensure-chromium.sh) && promtool=$$(scripts/ensure-promtool.sh) && \
	  DATABASE_URL="$$url" CHROMIUM="$$chromium" PROMTOOL="$$promtool" SIGNPOST_REQUIRE_BROWSER=1 SIGNPOST_REQUIRE_TOOLS=1 \
	  $(GO) test -race -count=1 -timeout 15m $(PKGS)

## vet: static checks and formatting
vet:
	@unformatted=$$(gofmt -l schemas shared services); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet $(PKGS)

## model: retrain the shipped text model from the team's corpus (deterministic: same corpus, same weights)
model:
	$(GO) run ./services/classifier/cmd/classify train

## eval: cross-validated figures of the whole decision on the team's corpus
eval:
	$(GO) run ./services/classifier/cmd/classify eval -folds 10

## cv: the model design cross-validated on the complaints tweets in ../shared/data
cv:
	$(GO) run ./services/classifier/cmd/classify cv -folds 10 < ../shared/data/complaints-tweets/complaints.jsonl

## bench: throughput and latency of each workload beside the raw limits of JetStream and Postgres,
## then Go benchmarks of the hot functions (BENCH_SECONDS, BENCH_RATE, BENCH_BURST tune the run)
bench:
	@url=$$(scripts/ensure-postgres.sh "$(DATA_DIR)" postgres) && \
	  DATABASE_URL="$$url" $(GO) run ./services/signpost/cmd/bench && \
	  DATABASE_URL="$$url" $(GO) test -run '^$$' -bench . -benchtime 2s \
	    ./shared/event/ ./shared/bus/ ./services/ingest/internal/facebook/ ./services/classifier/ ./services/classifier/internal/... \
	    ./services/notifier/internal/plan/ ./services/notifier/internal/postgres/ ./services/inbox/internal/auth/

## fuzz: every fuzz target in the repository (found by name, so a new one is picked up), FUZZ_TIME
## each (default 60s), one after another; stops at the first crasher, which go saves under the
## package's testdata/fuzz so that `go test` replays it from then on
FUZZ_TIME ?= 60s
fuzz:
	@set -eo pipefail; n=0; \
	  dirs=$$(grep -rlE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(' schemas shared services | xargs -n1 dirname | sort -u); \
	  for dir in $$dirs; do \
	    list=$$($(GO) test -list '^Fuzz' ./$$dir) || { echo "fuzz: cannot list the targets of ./$$dir:"; echo "$$list"; exit 1; }; \
	    for target in $$(echo "$$list" | grep '^Fuzz'); do \
	      n=$$((n+1)); echo "== fuzz $$n: ./$$dir $$target for $(FUZZ_TIME)"; \
	      $(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZ_TIME) ./$$dir | grep -v '^fuzz: elapsed' \
	        || { echo "fuzz: ./$$dir $$target failed; the input is under $$dir/testdata/fuzz/$$target"; exit 1; }; \
	    done; \
	  done; echo "fuzz: $$n targets ran for $(FUZZ_TIME) each without a failure"

## soak: the pipeline (the signpost binary) under a steady load for SOAK_MINUTES (30) at SOAK_RATE
## items/s (100) with a 60-second burst at ten times the rate in the middle; reports lost and
## duplicated items (fails unless both are 0), p99 latency, the lag's recovery after the burst,
## memory and goroutine drift
soak:
	@url=$$(scripts/ensure-postgres.sh "$(DATA_DIR)" postgres) && \
	  DATABASE_URL="$$url" $(GO) run ./services/signpost/cmd/bench soak

## build: every binary into bin/
build:
	mkdir -p bin
	$(GO) build -o bin/ ./services/signpost/cmd/signpost ./services/ingest/cmd/ingest \
	  ./services/classifier/cmd/classifier ./services/notifier/cmd/notifier ./services/inbox/cmd/inbox \
	  ./services/inbox/cmd/inboxadmin ./services/ops/cmd/ops ./services/ingest/cmd/fftimport

## tidy: go mod tidy in every module
tidy:
	for d in schemas shared services/*/; do (cd $$d && $(GO) mod tidy); done

## stop-postgres: stop the throwaway Postgres that run or test may have started under DATA_DIR
stop-postgres:
	scripts/stop-postgres.sh "$(DATA_DIR)"
