# The project's whole vocabulary; each target is a thin wrapper over tools/.
# Every target depends on setup, so each works first time on a fresh clone.
BOARD ?= mps2-an385
TARGET ?= $(BOARD)
PYTHON := .venv/bin/python

.PHONY: setup firmware run console demo demo-cluster test bench flash node deploy

setup:
	@bash tools/setup.sh

firmware: setup
	@$(MAKE) --no-print-directory -C firmware -j2 BOARD=$(BOARD) $(if $(APP),APP="$(abspath $(APP))")

run: setup
	@cd tools && ../$(PYTHON) run.py "$(abspath $(FILE))" --target "$(TARGET)"

# The console comes with the exchange running, unless APP names another app.
CONSOLE_APP = $(or $(APP),examples/exchange)

console: setup
	@cd tools && ../$(PYTHON) console.py --board "$(BOARD)" $(foreach app,$(CONSOLE_APP),--app "$(abspath $(app))")

demo: setup
	@cd tools && ../$(PYTHON) demo.py --board "$(BOARD)"

# Two boards and an erl console; a board is lost, the other takes over (tools/demo_cluster.py).
demo-cluster: setup
	@cd tools && ../$(PYTHON) -u demo_cluster.py --board "$(or $(DEMO_BOARD),mps2-an385)"

# A cluster node on a host target or a board in QEMU, see tools/node.py.
node: setup
	@cd tools && ../$(PYTHON) node.py --name "$(or $(NAME),n1)" --target "$(TARGET)" \
		$(if $(APP),--app "$(abspath $(APP))") $(if $(COOKIE),--cookie "$(COOKIE)") \
		--ticktime "$(or $(TICKTIME),60)" $(if $(NODES),--nodes "$(NODES)" --failover-ms "$(or $(FAILOVER_MS),0)")

# The changed modules of APP into the running board, its servers upgraded (tools/deploy.py).
deploy: setup
	@$(if $(APP),,$(error make deploy needs APP=folder, the application's new version))
	@cd tools && ../$(PYTHON) deploy.py --app "$(abspath $(APP))" --board "$(BOARD)" \
		$(if $(NODE),--node "$(NODE)") $(if $(COOKIE),--cookie "$(COOKIE)")

bench: setup
	@$(PYTHON) tools/bench/run.py

flash: setup
	@cd tools && ../$(PYTHON) flash.py --board "$(BOARD)"

test: setup
	@$(PYTHON) -m pytest -q tests
