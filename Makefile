# The project's whole vocabulary; each target is a thin wrapper over tools/.
# Every target depends on setup, so each works first time on a fresh clone.
BOARD ?= mps2-an385
TARGET ?= $(BOARD)
PYTHON := .venv/bin/python

.PHONY: setup firmware run console test flash

setup:
	@bash tools/setup.sh

firmware: setup
	@$(MAKE) --no-print-directory -C firmware -j2 BOARD=$(BOARD) $(if $(APP),APP=$(abspath $(APP)))

run: setup
	@cd tools && ../$(PYTHON) run.py "$(abspath $(FILE))" --target "$(TARGET)"

console: setup
	@cd tools && ../$(PYTHON) console.py --board "$(BOARD)" $(if $(APP),--app "$(abspath $(APP))")

flash: setup
	@cd tools && ../$(PYTHON) flash.py --board "$(BOARD)"

test: setup
	@$(PYTHON) -m pytest -q tests
