#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# lib.sh - the driver lab tests (driver/tests/lab/NN-*.sh: iovpf, iovvf, their interplay with
# the in-tree igb/igbvf) use the host-side helpers of every lab test, in harness/tests/lab/lib.sh.
# The tests live beside the driver they test; scripts/run-lab-tests.sh runs them and the harness
# lab tests in one sequence, by number.
# shellcheck source=../../../harness/tests/lab/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../../harness/tests/lab/lib.sh"
