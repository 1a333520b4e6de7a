# The project's whole vocabulary; each target is a thin wrapper over tools/.
.PHONY: setup
setup:
	@bash tools/setup.sh
