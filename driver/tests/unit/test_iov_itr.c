// SPDX-License-Identifier: GPL-2.0
/*
 * test_iov_itr.c - the interrupt moderation classifier (driver/common/iov_itr.c)
 * as pure code: the EITR unit conversion with and without the QEMU quirk, and
 * the class and EITR the policy settles on for traffic fed window by window
 * through the ring counters it reads, with time moved by the test (jiffies).
 */
#include "unit.h"
#include "iov_itr.h"

unsigned long jiffies;

#define QEMU	IOV_QUIRK_QEMU_EITR_UNIT

static void test_unit_conversion(void)
{
	/* the model's unit: 1.024 us per count (lab test 42: rx-usecs 100 = EITR 96) */
	CU_ASSERT_EQUAL(iov_itr_usecs_to_eitr(100, QEMU), 96);
	CU_ASSERT_EQUAL(iov_itr_eitr_to_usecs(96, QEMU), 98);
	/* the 82576's: 1 us per unit of bits 14:2 */
	CU_ASSERT_EQUAL(iov_itr_usecs_to_eitr(100, 0), 400);
	CU_ASSERT_EQUAL(iov_itr_eitr_to_usecs(400, 0), 100);
	/* 0 is off; any other request is never off, bits 1:0 stay clear */
	CU_ASSERT_EQUAL(iov_itr_usecs_to_eitr(0, QEMU), 0);
	CU_ASSERT_EQUAL(iov_itr_usecs_to_eitr(0, 0), 0);
	CU_ASSERT_EQUAL(iov_itr_usecs_to_eitr(1, QEMU), 4);
	CU_ASSERT_EQUAL(iov_itr_usecs_to_eitr(1, 0), 4);
	/* out of range: clamped to the field */
	CU_ASSERT_EQUAL(iov_itr_usecs_to_eitr(0xFFFFFFFF, QEMU) & ~IOV_EITR_INTERVAL, 0);
	CU_ASSERT_EQUAL(iov_itr_usecs_to_eitr(0xFFFFFFFF, 0), IOV_EITR_INTERVAL);
	CU_ASSERT_EQUAL(iov_itr_eitr_to_usecs(0xFFFFFFFF, 0), IOV_EITR_INTERVAL >> 2);
	CU_ASSERT(iov_itr_eitr_to_usecs(iov_itr_usecs_to_eitr(IOV_ITR_MAX_USECS, QEMU), QEMU) <=
		  IOV_ITR_MAX_USECS + 1);
}

static void test_config(void)
{
	struct iov_itr itr = { .quirks = QEMU };

	CU_ASSERT_EQUAL(iov_itr_config(&itr, true, 0), 0);
	CU_ASSERT(itr.adaptive);
	CU_ASSERT_EQUAL(iov_itr_config(&itr, false, 100), 96);
	CU_ASSERT_EQUAL(itr.eitr, 96);
	/* fixed moderation: the policy never runs */
	jiffies += 1000;
	CU_ASSERT(!iov_itr_update(&itr, &(struct iov_ring_stats){ .packets = 1000000 },
				  &(struct iov_ring_stats){ 0 }));
	CU_ASSERT_EQUAL(itr.eitr, 96);
}

/* A vector's two rings and its moderation state, fed by the test. */
struct vec {
	struct iov_itr itr;
	struct iov_ring_stats rx, tx;
	unsigned int writes;	/* times the driver would write EITR */
};

/* Adaptive from now, its first window (which only reads the counters) done. */
static void vec_init(struct vec *v, u32 quirks)
{
	memset(v, 0, sizeof(*v));
	v->itr.quirks = quirks;
	iov_itr_config(&v->itr, true, 0);
	jiffies += 10;
	CU_ASSERT(!iov_itr_update(&v->itr, &v->rx, &v->tx));
}

/* One 10 ms window of traffic: rx/tx packets of the given size, then a poll. */
static void window(struct vec *v, unsigned int rx_pkts, unsigned int tx_pkts,
		   unsigned int bytes, unsigned int ms)
{
	v->rx.packets += rx_pkts;
	v->rx.bytes += (u64)rx_pkts * bytes;
	v->tx.packets += tx_pkts;
	v->tx.bytes += (u64)tx_pkts * bytes;
	jiffies += ms;
	if (iov_itr_update(&v->itr, &v->rx, &v->tx))
		v->writes++;
}

static void test_sparse_stays_unmoderated(void)
{
	struct vec v;
	int i;

	vec_init(&v, QEMU);
	for (i = 0; i < 50; i++)
		window(&v, 10, 0, 64, 10);	/* 1000 packets/s */
	CU_ASSERT_EQUAL(v.itr.eitr, 0);
	CU_ASSERT_EQUAL(v.itr.class, IOV_ITR_LOWEST);
	CU_ASSERT_EQUAL(v.writes, 0);
}

/* A small-frame flood is moderated, only after IOV_ITR_CONFIRM windows. */
static void test_small_flood_moderated_after_confirmation(void)
{
	struct vec v;
	int i;

	vec_init(&v, QEMU);
	window(&v, 100, 0, 64, 10);	/* 10k packets/s */
	window(&v, 100, 0, 64, 10);
	CU_ASSERT_EQUAL(v.itr.eitr, 0);
	window(&v, 100, 0, 64, 10);
	CU_ASSERT_EQUAL(v.itr.class, IOV_ITR_LOW);
	/* 8 gaps at 10k packets/s: 800 us in the model's unit */
	CU_ASSERT_EQUAL(v.itr.eitr, iov_itr_usecs_to_eitr(800, QEMU));
	CU_ASSERT_EQUAL(v.writes, 1);
	/* a steady flood does not rewrite it */
	for (i = 0; i < 100; i++)
		window(&v, 100, 0, 64, 10);
	CU_ASSERT_EQUAL(v.writes, 1);
	CU_ASSERT(v.itr.moderated_ms > 0);
}

/* The same flood on an 82576: the same delay in the hardware's unit. */
static void test_small_flood_hw_unit(void)
{
	struct vec v;
	int i;

	vec_init(&v, 0);
	for (i = 0; i < 3; i++)
		window(&v, 100, 0, 64, 10);
	CU_ASSERT_EQUAL(v.itr.eitr, iov_itr_usecs_to_eitr(800, 0));
	CU_ASSERT_EQUAL(v.itr.eitr, 3200);
}

static void test_bulk_and_request_response_unmoderated(void)
{
	struct vec v;
	int i;

	vec_init(&v, QEMU);
	for (i = 0; i < 10; i++)
		window(&v, 200, 0, 1500, 10);	/* a stream of full frames */
	CU_ASSERT_EQUAL(v.itr.class, IOV_ITR_BULK);
	CU_ASSERT_EQUAL(v.itr.eitr, 0);

	vec_init(&v, QEMU);
	for (i = 0; i < 10; i++)
		window(&v, 100, 90, 100, 10);	/* balanced small exchange */
	CU_ASSERT_EQUAL(v.itr.class, IOV_ITR_LOWEST);
	CU_ASSERT_EQUAL(v.itr.eitr, 0);
}

/* After the flood, a pause restarts the average and the EITR goes back to 0. */
static void test_pause_returns_to_zero(void)
{
	struct vec v;
	int i;

	vec_init(&v, QEMU);
	for (i = 0; i < 5; i++)
		window(&v, 100, 0, 64, 10);
	CU_ASSERT(v.itr.eitr != 0);
	for (i = 0; i < 3; i++)
		window(&v, 1, 0, 64, 100);	/* long, nearly idle windows */
	CU_ASSERT_EQUAL(v.itr.eitr, 0);
	CU_ASSERT_EQUAL(v.itr.class, IOV_ITR_LOWEST);
}

/* Inside a window the update costs a compare and changes nothing. */
static void test_update_inside_window_is_noop(void)
{
	struct vec v;
	unsigned long start;
	u8 pending;

	vec_init(&v, QEMU);
	window(&v, 100, 0, 64, 10);	/* a flood window: one proposal */
	pending = v.itr.pending_windows;
	start = v.itr.win_start;
	CU_ASSERT_EQUAL(pending, 1);
	window(&v, 100000, 0, 64, 1);	/* 1 ms later: no new window */
	window(&v, 100000, 0, 64, 1);
	CU_ASSERT_EQUAL(v.itr.pending_windows, pending);
	CU_ASSERT_EQUAL(v.itr.win_start, start);
	CU_ASSERT_EQUAL(v.writes, 0);
}

/*
 * ethtool -C adaptive-rx on while the rings have counted for long (iovvf's
 * rings live as long as the device): the counters before it are not one
 * window's traffic. Before the fix the first window saw every packet ever
 * received as a flood, and the slow average kept sparse traffic moderated.
 */
static void test_config_with_busy_counters(void)
{
	struct vec v;
	int i;

	memset(&v, 0, sizeof(v));
	v.itr.quirks = QEMU;
	v.rx.packets = 50000000;
	v.rx.bytes = 50000000ull * 64;
	iov_itr_config(&v.itr, true, 0);
	for (i = 0; i < 20; i++)
		window(&v, 10, 0, 64, 10);	/* 1000 packets/s */
	CU_ASSERT_EQUAL(v.itr.eitr, 0);
	CU_ASSERT_EQUAL(v.itr.class, IOV_ITR_LOWEST);
	CU_ASSERT_EQUAL(v.writes, 0);
}

static void test_read_stats(void)
{
	struct vec v;
	u64 data[IOV_ITR_NSTATS + 1] = { 0 };
	int i;

	vec_init(&v, QEMU);
	for (i = 0; i < 5; i++)
		window(&v, 100, 0, 64, 10);
	data[IOV_ITR_NSTATS] = 0xDEAD;
	CU_ASSERT_PTR_EQUAL(iov_itr_read_stats(&v.itr, data), data + IOV_ITR_NSTATS);
	CU_ASSERT_EQUAL(data[IOV_ITR_NSTATS], 0xDEAD);
	CU_ASSERT_EQUAL(data[0], v.itr.eitr);
	CU_ASSERT_EQUAL(data[1], iov_itr_eitr_to_usecs(v.itr.eitr, QEMU));
	CU_ASSERT_EQUAL(data[2], IOV_ITR_LOW);
	CU_ASSERT_EQUAL(data[3], 1);
	CU_ASSERT_STRING_EQUAL(iov_itr_stat_names[0], "itr_eitr");
}

IOV_SUITE(iov_itr,
	  { "EITR unit: the model's with the quirk, the 82576's without", test_unit_conversion },
	  { "config: adaptive starts at 0, fixed never changes", test_config },
	  { "sparse traffic stays at EITR 0", test_sparse_stays_unmoderated },
	  { "a small-frame flood is moderated after confirmation, once", test_small_flood_moderated_after_confirmation },
	  { "the same flood in the 82576's unit", test_small_flood_hw_unit },
	  { "streams and request/response stay unmoderated", test_bulk_and_request_response_unmoderated },
	  { "a pause after a flood returns to EITR 0", test_pause_returns_to_zero },
	  { "an update inside a window does nothing", test_update_inside_window_is_noop },
	  { "adaptive-rx on over busy counters: no phantom flood", test_config_with_busy_counters },
	  { "ethtool -S values follow the state", test_read_stats })
