package io.cartola.days;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cartola.khipu.EnvelopeReader;
import io.cartola.records.AccountRequest;
import io.cartola.records.Mode;
import io.cartola.records.OperationLog;
import io.cartola.records.TransactionView;
import io.cartola.storage.FileObjectStore;
import io.cartola.storage.ObjectStore;
import io.cartola.storage.S3ObjectStore;
import io.cartola.testing.Envelopes;
import io.cartola.testing.Mappers;
import io.cartola.testing.MotoServer;
import io.cartola.testing.S3Objects;

/** The record of each account-day, written by the live path (OperationLog), on the file store and on S3 (moto). */
class DayRecordsTest {

    static final ObjectMapper MAPPER = Mappers.quarkusLike();
    static final ZoneId SANTIAGO = ZoneId.of("America/Santiago");
    static final LocalDate DAY = LocalDate.of(2026, 11, 24);
    static final String INSTITUTION = "btgpactual.cl";

    @TempDir
    Path dir;

    /** The store, counting the writes of day records (the cost the README states). */
    static final class Counting implements ObjectStore {
        final ObjectStore store;
        final AtomicInteger dayWrites = new AtomicInteger();

        Counting(ObjectStore store) {
            this.store = store;
        }

        public boolean create(String key, byte[] bytes, String type) {
            boolean done = store.create(key, bytes, type);
            count(key, done);
            return done;
        }

        public boolean replace(String key, byte[] bytes, String type, String version) {
            boolean done = store.replace(key, bytes, type, version);
            count(key, done);
            return done;
        }

        private void count(String key, boolean done) {
            if (done && key.startsWith("days/")) {
                dayWrites.incrementAndGet();
            }
        }

        public Optional<Stored> read(String key) {
            return store.read(key);
        }

        public void delete(String key) {
            store.delete(key);
        }

        public Optional<InputStream> open(String key) {
            return store.open(key);
        }

        public List<Listed> list(String prefix) {
            return store.list(prefix);
        }

        public List<String> folders(String prefix) {
            return store.folders(prefix);
        }
    }

    Counting store;
    OperationLog log;
    DayRecords days;

    void on(String kind) {
        ObjectStore real = kind.equals("s3") ? new S3ObjectStore(S3Objects.client(MotoServer.get().endpoint()), MotoServer.BUCKET)
                : new FileObjectStore(dir);
        store = new Counting(real);
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
        TransactionView view = new TransactionView(MAPPER, store);
        days = new DayRecords(store, view, MAPPER, SANTIAGO, LocalTime.of(23, 0), clock);
        log = new OperationLog(store, view, MAPPER, clock, days);
    }

    static String account() {
        return "8" + String.valueOf(System.nanoTime()).substring(5);
    }

    /** Santiago time on {@code day} as an instant (November: UTC-3). */
    static Instant at(LocalDate day, String hhmm) {
        return day.atTime(LocalTime.parse(hhmm)).atZone(SANTIAGO).toInstant();
    }

    static String booked(LocalDate day, String id, String direction, String amount, String hhmm, String balance) {
        return Envelopes.booked(id, direction, amount, day + "T" + hhmm + ":00-03:00", balance);
    }

    /** Stores a snapshot as the webhook or a sync answer does; returns what it changed (with the day's findings). */
    TransactionView.Changes snapshot(String account, LocalDate day, String hhmm, String... transactions) {
        Instant requested = at(day, hhmm);
        byte[] raw = Envelopes.ok("op-" + requested.toEpochMilli(), transactions).getBytes(StandardCharsets.UTF_8);
        AccountRequest s = new AccountRequest(INSTITUTION, account, "r" + requested.toEpochMilli() + "-" + account, requested,
                AccountRequest.dayOf(requested, SANTIAGO), Mode.async);
        return log.store(s, raw, new EnvelopeReader(MAPPER).read(raw), null).changes();
    }

    DayRecord record(String account, LocalDate day) {
        return days.read(INSTITUTION, account, day).orElseThrow();
    }

    static final String A = booked(DAY, "a", "Credit", "1000", "09:00", "11000");
    static final String B = booked(DAY, "b", "Debit", "5000", "11:00", "6000");
    static final String C = booked(DAY, "c", "Debit", "300", "12:00", "5700");

    @ParameterizedTest
    @ValueSource(strings = { "file", "s3" })
    void aGapIsRecordedWhenSeenAndABalancedDayClosedByTheDayEndRunCostsTwoWrites(String kind) throws Exception {
        on(kind);
        String account = account();
        TransactionView.Changes morning = snapshot(account, DAY, "10:00", A);
        assertEquals(1, store.dayWrites.get(), "the first snapshot creates the record");
        DayRecord first = record(account, DAY);
        assertEquals("unknown", first.reconciliation(), "one balance: nothing to check it against");
        assertFalse(first.closed());
        assertNull(morning.gap());

        // the debit b is booked but this snapshot lacks it: the balances say 5000 went missing
        TransactionView.Changes noon = snapshot(account, DAY, "12:30", A, C);
        assertEquals(1, noon.balanceGaps());
        assertEquals("balance gap -5000 between id:a and id:c", noon.gap());
        assertTrue(noon.describe().contains("-5000 between id:a and id:c"), noon.describe());
        assertEquals(Map.of("TransactionsAdded", 1, "BalanceGaps", 1), noon.metrics());
        DayRecord gap = record(account, DAY);
        assertEquals("gap", gap.reconciliation());
        assertEquals("-5000", gap.gapAmount());
        assertEquals(List.of(new Reconciliation.Gap("id:a", "id:c", "-5000")), gap.gaps());
        assertEquals(2, store.dayWrites.get());

        TransactionView.Changes again = snapshot(account, DAY, "14:00", A, C);
        assertEquals(0, again.balanceGaps(), "the same gap is not found twice");
        assertEquals("balance gap -5000 between id:a and id:c", again.gap(), "but still said");
        assertEquals(2, store.dayWrites.get(), "nothing new: no write");

        // the missing debit appears: balanced again; then the day-end run closes the day
        assertNull(snapshot(account, DAY, "16:00", A, B, C).gap());
        assertEquals("balanced", record(account, DAY).reconciliation());
        assertEquals(3, store.dayWrites.get(), "a filled gap is written");
        snapshot(account, DAY, "23:45", A, B, C);
        DayRecord closed = record(account, DAY);
        assertTrue(closed.closed());
        assertEquals(at(DAY, "23:45"), closed.closedAt());
        assertEquals(5, closed.snapshots());
        assertEquals(at(DAY, "10:00"), closed.firstSnapshotAt());
        assertEquals(at(DAY, "23:45"), closed.lastSnapshotAt());
        assertEquals(3, closed.transactions());
        assertEquals(List.of("1000", "5300"), List.of(closed.credits(), closed.debits()));
        assertEquals(List.of("10000", "5700"), List.of(closed.openingBalance(), closed.closingBalance()));
        assertEquals("balanced", closed.reconciliation());
        assertNull(closed.gapAmount());
        assertEquals(4, store.dayWrites.get(), "the close is one write");

        // a day without gaps: two writes (first snapshot, close)
        String quiet = account();
        int before = store.dayWrites.get();
        snapshot(quiet, DAY, "10:00", A);
        snapshot(quiet, DAY, "13:00", A, B);
        snapshot(quiet, DAY, "18:00", A, B, C);
        snapshot(quiet, DAY, "23:45", A, B, C);
        assertEquals(2, store.dayWrites.get() - before);
        assertEquals("balanced", record(quiet, DAY).reconciliation());
        String json = new String(store.read(DayRecord.key(INSTITUTION, DAY, quiet)).orElseThrow().bytes(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"closingBalance\":\"5700\"") && json.contains("\"day\":\"2026-11-24\""), json);
    }

    @Test
    void aDayWhoseLastSnapshotIsBeforeTheCloseIsNotClosedAndTheNextDayCountsIt() {
        on("file");
        String account = account();
        snapshot(account, DAY, "10:00", A, B);
        snapshot(account, DAY, "22:00", A, B, C);
        assertFalse(record(account, DAY).closed(), "the day-end run's snapshot never came");

        LocalDate next = DAY.plusDays(1);
        TransactionView.Changes morning = snapshot(account, next, "08:00");
        assertEquals(1, morning.daysUnclosed());
        assertEquals(Map.of("DaysUnclosed", 1), morning.metrics());
        assertEquals(0, snapshot(account, next, "10:00").daysUnclosed(), "counted once, by the day's first snapshot");
    }

    @ParameterizedTest
    @ValueSource(strings = { "file", "s3" })
    void anOvernightGapFoundByTheNextDaysFirstBalanceIsRecordedOnTheEarlierDay(String kind) {
        on(kind);
        String account = account();
        snapshot(account, DAY, "10:00", A, B, C);
        snapshot(account, DAY, "23:45", A, B, C);
        assertEquals("5700", record(account, DAY).closingBalance());

        // after 23:45 a debit of 200 was booked: the next day opens at 5500, not 5700
        LocalDate next = DAY.plusDays(1);
        snapshot(account, next, "08:00");
        String d1 = booked(next, "d", "Credit", "100", "09:00", "5600");
        String d2 = booked(next, "e", "Debit", "50", "09:30", "5550");
        TransactionView.Changes found = snapshot(account, next, "10:00", d1, d2);
        assertEquals(1, found.balanceGaps());
        assertTrue(found.gap().contains("opened -200"), found.gap());

        DayRecord earlier = record(account, DAY);
        assertEquals("gap", earlier.reconciliation(), "the day lacks what was booked after its last snapshot");
        assertEquals("-200", earlier.overnightGapAmount());
        assertEquals("-200", earlier.gapAmount());
        assertTrue(earlier.closed(), "closed, and still not complete");
        DayRecord later = record(account, next);
        assertEquals("balanced", later.reconciliation());
        assertEquals(List.of("5700", "-200", "5500"), List.of(later.previousClosingBalance(), later.openingGapAmount(),
                later.openingBalance()));
        assertEquals(0, snapshot(account, next, "12:00", d1, d2).balanceGaps(), "found once");
        assertEquals("-200", record(account, DAY).overnightGapAmount());
    }

    @ParameterizedTest
    @ValueSource(strings = { "file", "s3" })
    void concurrentCallbacksOfOneAccountLoseNothing(String kind) throws Exception {
        on(kind);
        String account = account();
        // twelve answers of one day arrive at once, each the day so far; the last two lack b (a gap), the day-end one has it
        List<String> times = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            times.add(String.format("%02d:%02d", 12 + i / 2, (i % 2) * 30));
        }
        times.add("23:45");
        ExecutorService pool = Executors.newFixedThreadPool(times.size());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<TransactionView.Changes>> results = new ArrayList<>();
        for (String t : times) {
            String[] lines = t.equals("23:45") ? new String[] { A, B, C } : t.compareTo("17:00") >= 0 ? new String[] { A, C }
                    : new String[] { A, B };
            results.add(pool.submit(() -> {
                start.await();
                return snapshot(account, DAY, t, lines);
            }));
        }
        start.countDown();
        for (Future<TransactionView.Changes> f : results) {
            f.get();
        }
        pool.shutdown();
        DayRecord d = record(account, DAY);
        assertTrue(d.closed());
        assertEquals(at(DAY, "23:45"), d.asOf());
        // the view ends as the day-end answer showed it (latest by request time), and the record, written by it, too
        assertEquals("balanced", d.reconciliation());
        assertEquals(3, d.transactions());
        assertTrue(d.snapshots() >= 1 && d.snapshots() <= times.size(), "as of the closing write: " + d.snapshots());
        assertNull(snapshot(account, DAY, "23:50", A, B, C).gap());
        assertEquals(d.updatedAt(), record(account, DAY).updatedAt(), "closed once: a later snapshot that changes nothing writes nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = { "file", "s3" })
    void concurrentLostRequestsAndSnapshotsOfOneDayAreAllKept(String kind) throws Exception {
        on(kind);
        String account = account();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            AccountRequest r = new AccountRequest(INSTITUTION, account, "lost-" + i, at(DAY, "10:00").plusSeconds(i), DAY, Mode.async);
            done.add(pool.submit(() -> {
                start.await();
                return log.lost(r);
            }));
        }
        for (String t : List.of("11:00", "12:00", "13:00", "14:00")) {
            done.add(pool.submit(() -> {
                start.await();
                return snapshot(account, DAY, t, A, B);
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        DayRecord d = record(account, DAY);
        assertEquals(12, d.lost().size(), "no lost request overwritten by another writer: " + d.lost());
        assertTrue(d.snapshots() >= 1);
        assertEquals("balanced", d.reconciliation());
    }

    @Test
    void lostAndFailedRequestsAreListedOnTheirDay() {
        on("file");
        String account = account();
        AccountRequest r1 = new AccountRequest(INSTITUTION, account, "req-lost", at(DAY, "10:00"), DAY, Mode.async);
        AccountRequest r2 = new AccountRequest(INSTITUTION, account, "req-failed", at(DAY, "12:00"), DAY, Mode.sync);
        assertTrue(log.lost(r1));
        log.lost(r1);
        log.failed(r2, "TIMEOUT", "no answer", null);
        DayRecord d = record(account, DAY);
        assertEquals(List.of("req-lost"), d.lost());
        assertEquals(List.of("req-failed"), d.failed());
        assertFalse(d.closed());
        assertEquals(0, d.snapshots());
    }
}
