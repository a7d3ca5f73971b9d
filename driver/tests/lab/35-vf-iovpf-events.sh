#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The PF-event test of 34-vf-pf-events.sh with our own PF driver, iovpf, as the peer.
PF_DRIVER=iovpf exec bash "$(dirname "$0")/34-vf-pf-events.sh"
