# SPDX-License-Identifier: MIT
# iovbench top-level Makefile. The two commands a user runs:
#   make bench   set up the host, build everything, boot the lab, run the default suite
#   make check   set up the host, build everything, run unit tests and lab integration tests
# Finer targets: setup, harness, driver, lab, unit, labtest, sparse, lint, clean.

BUILD    ?= build
# libperf from the pinned linux-source, built by setup.sh (iovbench, iovperf, the unit tests)
LIBPERF  := $(BUILD)/libperf
CC       ?= gcc
CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Werror -std=gnu11
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
CPPFLAGS += -Iharness -D_GNU_SOURCE
LDLIBS   += -ljansson -lsqlite3 -lm

# Library modules of the harness: everything but the program's entry point and the agent.
HARNESS_LIB_SRC := $(filter-out harness/iovbench.c,$(wildcard harness/*.c)) \
                   $(wildcard harness/lab/*.c harness/collect/*.c harness/targets/*.c harness/tools/*.c \
                   harness/guests/*.c harness/nics/*.c harness/report/*.c harness/toggles/*.c) \
                   harness/agent/proto.c
AGENT_SRC       := harness/agent/iovagent.c harness/agent/proto.c harness/util.c
UNIT_SRC        := $(wildcard harness/tests/*.c)
HARNESS_HDR     := $(wildcard harness/*.h harness/*/*.h)

.PHONY: all setup harness driver host-driver lab unit labtest check bench sparse lint clean
all: harness driver

setup:
	@bash scripts/setup.sh --build $(abspath $(BUILD))

$(BUILD)/kernel.env:
	@bash scripts/setup.sh --build $(abspath $(BUILD))

harness: $(BUILD)/iovbench $(BUILD)/iovagent $(BUILD)/iovqstats $(BUILD)/iovvmexec $(BUILD)/iovperf \
         $(BUILD)/iovmbx $(BUILD)/nics.sh

# It counts the hypervisor's threads through libperf (agent/perf_threads.c), as iovperf does.
$(BUILD)/iovbench: harness/iovbench.c $(HARNESS_LIB_SRC) $(HARNESS_HDR) harness/agent/perf_threads.c \
                   $(LIBPERF)/lib/libperf.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -I$(LIBPERF)/include $(WARN) $(CFLAGS) -o $@ harness/iovbench.c $(HARNESS_LIB_SRC) \
		harness/agent/perf_threads.c $(LDLIBS) -L$(LIBPERF)/lib -lperf -lapi

# guest-lib.sh's NIC kinds, written from the harness's table (harness/nics/): the lab images
# install it beside guest-lib.sh, the host target points guest-lib at this one.
$(BUILD)/nics.sh: $(BUILD)/iovbench
	$(BUILD)/iovbench list nics --shell >$@.tmp && mv $@.tmp $@

# The agent runs inside the guest's initramfs, which has no libc: link it statically.
$(BUILD)/iovagent: $(AGENT_SRC) harness/agent/proto.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -static -o $@ $(AGENT_SRC)

# Runs a command in a VM guest (L2) from the lab guest (L1): the harness's client code on
# L2's agent socket, static like the agent (L1's initramfs has no libc for it).
VMEXEC_SRC := harness/agent/iovvmexec.c harness/lab/agent_client.c harness/agent/proto.c harness/util.c
$(BUILD)/iovvmexec: $(VMEXEC_SRC) harness/agent/proto.h harness/lab/agent_client.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -static -o $@ $(VMEXEC_SRC)

# Per-queue stats over netdev netlink, for the guest (static like the agent).
$(BUILD)/iovqstats: harness/agent/iovqstats.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) -static -o $@ $<

# A hostile VF from user space (the VF's BAR through sysfs), for the guest (static like the agent).
$(BUILD)/iovmbx: harness/agent/iovmbx.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -static -o $@ $<

# perf-event counts for the guest, on libperf (LIBPERF, above): static like the agent, whose
# initramfs has no libc.
$(LIBPERF)/lib/libperf.a:
	@bash scripts/setup.sh --build $(abspath $(BUILD))

PERF_SRC := harness/agent/iovperf.c harness/agent/perf_threads.c harness/collect/napi_samples.c \
            harness/collect/kvm_reasons.c
$(BUILD)/iovperf: $(PERF_SRC) harness/collect/napi_samples.h harness/collect/kvm_reasons.h \
                 harness/agent/perf_threads.h $(LIBPERF)/lib/libperf.a
	@mkdir -p $(@D)
	$(CC) -Iharness -I$(LIBPERF)/include -D_GNU_SOURCE $(WARN) $(CFLAGS) -static -o $@ $(PERF_SRC) -L$(LIBPERF)/lib -lperf -lapi

# The drivers' pure code (mailbox parser, interrupt moderation policy) and its tests, built in
# user space on a shim of the few kernel headers it uses (driver/tests/unit/shim), apart from
# the harness so the shim never hides a system header from it.
DRV_UNIT_SRC := $(wildcard driver/tests/unit/*.c) driver/common/iov_mbx.c driver/common/iov_itr.c
DRV_UNIT_OBJ := $(patsubst %.c,$(BUILD)/drv-unit/%.o,$(DRV_UNIT_SRC))
DRV_UNIT_HDR := $(wildcard driver/tests/unit/shim/*.h driver/tests/unit/shim/linux/*.h \
                  driver/common/*.h) harness/tests/unit.h
$(BUILD)/drv-unit/%.o: %.c $(DRV_UNIT_HDR)
	@mkdir -p $(@D)
	$(CC) -Idriver/tests/unit/shim -Idriver/common -Iharness/tests $(WARN) -O1 -g $(SAN) -c -o $@ $<

# The agent the unit tests run (its exec against real processes), under the same sanitizers.
$(BUILD)/unit-iovagent: $(AGENT_SRC) harness/agent/proto.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) -O1 -g $(SAN) -o $@ $(AGENT_SRC)

# Unit tests run under AddressSanitizer and UndefinedBehaviorSanitizer; they count their own
# threads' events through libperf (agent/perf_threads.c) on the real kernel.
$(BUILD)/unit-tests: $(UNIT_SRC) $(HARNESS_LIB_SRC) $(HARNESS_HDR) $(DRV_UNIT_OBJ) harness/agent/perf_threads.c \
                     $(LIBPERF)/lib/libperf.a $(BUILD)/unit-iovagent
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -I$(LIBPERF)/include -DIOV_TEST_AGENT='"$(abspath $(BUILD))/unit-iovagent"' $(WARN) -O1 -g \
		$(SAN) -o $@ $(UNIT_SRC) $(HARNESS_LIB_SRC) harness/agent/perf_threads.c $(DRV_UNIT_OBJ) -lcunit \
		$(LDLIBS) -L$(LIBPERF)/lib -lperf -lapi -lpthread

driver: $(BUILD)/kernel.env
	@. $(BUILD)/kernel.env && $(MAKE) -C "$$KHEADERS" M=$(CURDIR)/driver W=1 modules

# For --target host: build against the running kernel and install, so modprobe finds iovpf/iovvf.
HOST_KDIR ?= /lib/modules/$(shell uname -r)/build
host-driver:
	@test -d "$(HOST_KDIR)" || { echo "no kernel build tree at $(HOST_KDIR): install the headers of the running kernel" >&2; exit 1; }
	$(MAKE) -C "$(HOST_KDIR)" M=$(CURDIR)/driver modules
	$(MAKE) -C "$(HOST_KDIR)" M=$(CURDIR)/driver modules_install
	depmod -a

sparse: $(BUILD)/kernel.env
	@. $(BUILD)/kernel.env && $(MAKE) -C "$$KHEADERS" M=$(CURDIR)/driver C=2 modules

# checkpatch (from the linux-source package setup.sh installs) on driver/, shellcheck on the shell.
$(BUILD)/checkpatch/checkpatch.pl:
	@bash scripts/setup.sh --build $(abspath $(BUILD))

lint: $(BUILD)/checkpatch/checkpatch.pl
	@bash scripts/lint.sh --build $(abspath $(BUILD))

lab: $(BUILD)/kernel.env harness driver
	@bash scripts/build-image.sh --build $(abspath $(BUILD))
	@bash scripts/build-vm-image.sh --build $(abspath $(BUILD))

unit: $(BUILD)/unit-tests
	@cd harness/tests && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(abspath $(BUILD))/unit-tests

labtest: lab
	@bash scripts/run-lab-tests.sh --build $(abspath $(BUILD))

check: setup
	@bash scripts/check.sh --build $(abspath $(BUILD))

bench: setup lab
	@$(BUILD)/iovbench run --suite default --out results

clean:
	rm -rf $(BUILD)/iovbench $(BUILD)/nics.sh $(BUILD)/iovagent $(BUILD)/iovvmexec $(BUILD)/iovperf $(BUILD)/iovmbx $(BUILD)/unit-tests $(BUILD)/lab
	-@. $(BUILD)/kernel.env 2>/dev/null && $(MAKE) -C "$$KHEADERS" M=$(CURDIR)/driver clean
