#!/usr/bin/env bash
# Stops `make run` with one clear line when there is no display to open a window on.
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  echo "make run: no display (DISPLAY and WAYLAND_DISPLAY are unset); use 'xvfb-run -a make run' for a virtual one, or the headless hub: 'make hub && build/bin/reliefmesh-hub --help'" >&2
  exit 2
fi
