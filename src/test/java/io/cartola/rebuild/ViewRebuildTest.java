package io.cartola.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cartola.config.CartolaConfig;
import io.cartola.fetch.InvalidInputException;
import io.cartola.khipu.EnvelopeReader;
import io.cartola.records.AccountRequest;
import io.cartola.records.Mode;
import io.cartola.records.OperationLog;
import io.cartola.records.TransactionView;
import io.cartola.storage.FileObjectStore;
import io.cartola.storage.ObjectStore;
import io.cartola.storage.S3ObjectStore;
import io.cartola.telemetry.Metrics;
import io.cartola.testing.Envelopes;
import io.cartola.testing.Mappers;
import io.cartola.testing.MotoServer;
import io.cartola.testing.S3Objects;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Views rebuilt from raw equal what ingesting the same answers wrote, on the file store and on S3 (moto). */
class ViewRebuildTest {

    static final ObjectMapper MAPPER = Mappers.quarkusLike();
    static final LocalDate DAY1 = LocalDate.of(2026, 11, 24);
    static final LocalDate DAY2 = DAY1.plusDays(1);
    static final Instant T = Instant.parse("2026-11-24T13:00:00Z");

    @TempDir
    Path dir;

    ObjectStore store(String kind) {
        return kind.equals("s3") ? new S3ObjectStore(S3Objects.client(MotoServer.get().endpoint()), MotoServer.BUCKET)
                : new FileObjectStore(dir);
    }

    static CartolaConfig config(String timeout) {
        Map<String, String> values = new HashMap<>(Map.of("cartola.callback.secret", "x".repeat(32), "cartola.metrics.enabled", "false"));
        if (timeout != null) {
            values.put("cartola.rebuild.timeout", timeout);
        }
        return new SmallRyeConfigBuilder().withMapping(CartolaConfig.class).withDefaultValues(values).build()
                .getConfigMapping(CartolaConfig.class);
    }

    static ViewRebuild rebuild(ObjectStore store, String timeout, Clock clock) {
        CartolaConfig config = config(timeout);
        return new ViewRebuild(store, new TransactionView(MAPPER, store), new EnvelopeReader(MAPPER), MAPPER, config,
                new Metrics(MAPPER, clock, config), clock);
    }

    static String tx(String id, String amount, String status) {
        String t = Envelopes.transaction(id == null ? "x" : id, "\"" + amount + "\"", "info " + amount)
                .replace("\"Status\":\"Booked\"", "\"Status\":\"" + status + "\"");
        return id == null ? t.replace("\"TransactionId\":\"x\",", "") : t;
    }

    /** Stores answers as the live path does (raw, then the view merge), in the order given. */
    static void ingest(ObjectStore store, String account, LocalDate day, Instant at, String... transactions) {
        OperationLog log = new OperationLog(store, new TransactionView(MAPPER, store), MAPPER, Clock.systemUTC());
        byte[] raw = Envelopes.ok("op-" + at.toEpochMilli(), transactions).getBytes(StandardCharsets.UTF_8);
        log.store(new AccountRequest("btgpactual.cl", account, "req" + at.toEpochMilli(), at, day, Mode.async), raw,
                new EnvelopeReader(MAPPER).read(raw), null);
    }

    static String account() {
        return "8" + String.valueOf(System.nanoTime()).substring(5);
    }

    /** Two accounts, two days, the three snapshots (with a reversal, a posting under a new id, an ID-less transfer booked). */
    static List<String> ingestScenario(ObjectStore store) {
        List<String> accounts = List.of(account(), account());
        for (String a : accounts) {
            for (LocalDate day : List.of(DAY1, DAY2)) {
                Instant t1 = day.atTime(10, 0).toInstant(ZoneOffset.UTC);
                ingest(store, a, day, t1, tx("b-1", "1000", "Booked"), tx("p-9", "2500", "Pending"), tx(null, "700", "Pending"),
                        tx("r-5", "4000", "Booked"));
                ingest(store, a, day, t1.plusSeconds(3600), tx("b-1", "1000", "Booked"), tx("b-9", "2500", "Booked"),
                        tx(null, "700", "Booked"));
                ingest(store, a, day, t1.plusSeconds(7200), tx("b-1", "1000", "Booked"), tx("b-9", "2500", "Booked"),
                        tx(null, "700", "Booked"));
            }
        }
        return accounts;
    }

    static Map<String, String> views(ObjectStore store, List<String> accounts) {
        Map<String, String> views = new TreeMap<>();
        for (String a : accounts) {
            for (LocalDate day : List.of(DAY1, DAY2)) {
                String key = AccountRequest.viewKey("btgpactual.cl", a, day);
                store.read(key).ifPresent(v -> views.put(key, new String(v.bytes(), StandardCharsets.UTF_8)));
            }
        }
        return views;
    }

    @ParameterizedTest
    @ValueSource(strings = { "file", "s3" })
    void aRebuildEqualsWhatIngestingTheSameAnswersWrote(String kind) {
        ObjectStore store = store(kind);
        List<String> accounts = ingestScenario(store);
        Map<String, String> ingested = views(store, accounts);
        assertEquals(4, ingested.size());
        ingested.keySet().forEach(store::delete);

        RebuildResult result = rebuild(store, null, Clock.systemUTC()).rebuild(new RebuildInput(DAY1, DAY2, accounts, null));

        assertEquals(ingested, views(store, accounts), "byte for byte");
        assertEquals(List.of(2, 4, 4, 0, 12, 0), List.of(result.accounts(), result.days(), result.written(), result.unchanged(),
                result.answers(), result.unreadable()));
        assertNull(result.after());
        RebuildResult again = rebuild(store, null, Clock.systemUTC()).rebuild(new RebuildInput(DAY1, DAY2, accounts, null));
        assertEquals(List.of(0, 4), List.of(again.written(), again.unchanged()), "idempotent: nothing written the second time");
    }

    @Test
    void withoutAccountsEveryAccountWithRawAnswersIsRebuilt() {
        ObjectStore store = store("file");
        List<String> accounts = ingestScenario(store);
        Map<String, String> ingested = views(store, accounts);
        ingested.keySet().forEach(store::delete);
        RebuildResult result = rebuild(store, null, Clock.systemUTC()).rebuild(new RebuildInput(DAY2, null, null, null));
        assertEquals(2, result.written(), "only DAY2 of both accounts");
        assertEquals(2, views(store, accounts).size());
    }

    @Test
    void viewsWrittenByTheEarlierRulesAreBroughtUnderTheseOnes() throws Exception {
        ObjectStore store = store("file");
        String account = account();
        ingest(store, account, DAY1, T, tx("b-1", "1000", "Booked"), tx("r-5", "4000", "Booked"));
        ingest(store, account, DAY1, T.plusSeconds(3600), tx("b-1", "1000", "Booked"));
        Map<String, String> expected = views(store, List.of(account));
        // as an earlier cartola stored them: answers named by request id only, the view under account=/date=, not removing
        String legacyView = "view/btgpactual.cl/account=" + account + "/date=" + DAY1 + "/transactions.jsonl";
        StringBuilder old = new StringBuilder();
        for (ObjectStore.Listed raw : store.list(AccountRequest.rawPrefix("btgpactual.cl", account, DAY1))) {
            byte[] bytes = store.read(raw.key()).orElseThrow().bytes();
            String op = MAPPER.readTree(bytes).get("OperationId").asText();
            old.append("{\"TransactionId\":\"x\",\"OperationId\":\"").append(op).append("\",\"SnapshotTime\":\"")
                    .append(Instant.ofEpochMilli(Long.parseLong(op.substring(3)))).append("\"}\n");
            store.delete(raw.key());
            store.create(raw.key().replaceAll("/[^/]*-(req\\d+\\.json)$", "/$1"), bytes, "application/json");
        }
        store.create(legacyView, old.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        expected.keySet().forEach(store::delete);

        rebuild(store, null, Clock.systemUTC()).rebuild(new RebuildInput(DAY1, null, List.of(account), null));

        assertEquals(expected, views(store, List.of(account)), "the request times come from the old view");
    }

    @Test
    void aRunNearItsTimeoutSaysWhereToContinueAndTheNextRunDoes() {
        ObjectStore store = store("file");
        List<String> accounts = new ArrayList<>(ingestScenario(store));
        accounts.addAll(ingestScenario(store));
        Map<String, String> ingested = views(store, accounts);
        ingested.keySet().forEach(store::delete);
        // each look at the clock is ten seconds later: a 30 s timeout (stopping 6 s early) leaves room for two accounts
        AtomicLong ticks = new AtomicLong();
        Clock clock = new Clock() {
            public Instant instant() {
                return T.plusSeconds(10 * ticks.getAndIncrement());
            }

            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        List<RebuildResult> runs = new ArrayList<>();
        String after = null;
        do {
            ticks.set(0);
            RebuildResult r = rebuild(store, "PT30S", clock).rebuild(new RebuildInput(DAY1, DAY2, accounts, after));
            runs.add(r);
            after = r.after();
            assertTrue(runs.size() < 10, "a rebuild that makes progress: " + runs);
        } while (after != null);

        assertTrue(runs.size() > 1, "stopped at least once: " + runs);
        assertNotNull(runs.get(0).after());
        assertTrue(runs.get(0).message().contains("\"after\": \"" + runs.get(0).after() + "\""), runs.get(0).message());
        assertTrue(runs.stream().noneMatch(r -> accounts.stream().anyMatch(a -> r.toString().contains(a))), "no account number in an answer");
        assertEquals(accounts.size(), runs.stream().mapToInt(RebuildResult::accounts).sum(), "each account once");
        assertEquals(ingested, views(store, accounts));
    }

    @Test
    void aLiveCallbackDuringARebuildLosesNothing() throws Exception {
        ObjectStore store = store("s3");
        for (int round = 0; round < 5; round++) {
            String account = account();
            ingest(store, account, DAY1, T, tx("b-1", "1000", "Booked"), tx("r-5", "4000", "Booked"));
            CompletableFuture<RebuildResult> rebuilding = CompletableFuture.supplyAsync(
                    () -> rebuild(store, null, Clock.systemUTC()).rebuild(new RebuildInput(DAY1, null, List.of(account), null)));
            ingest(store, account, DAY1, T.plusSeconds(60), tx("b-1", "1000", "Booked"), tx("b-2", "50", "Booked"));
            rebuilding.get();

            String view = views(store, List.of(account)).values().iterator().next();
            assertEquals(3, view.lines().count(), view);
            assertTrue(view.lines().anyMatch(l -> l.contains("\"b-2\"") && l.contains("\"RemovedAt\":null")), view);
            assertTrue(view.lines().anyMatch(l -> l.contains("\"r-5\"") && l.contains("\"RemovedAt\":\"" + T.plusSeconds(60) + "\"")), view);
        }
    }

    @Test
    void badInputNamesTheFieldAndTheRule() {
        assertEquals("to: 2026-11-23 is before from 2026-11-24",
                assertThrows(InvalidInputException.class, () -> new RebuildInput(DAY1, DAY1.minusDays(1), null, null)).getMessage());
        assertTrue(assertThrows(InvalidInputException.class, () -> new RebuildInput(null, null, null, null)).getMessage()
                .startsWith("from: required"));
        assertTrue(assertThrows(InvalidInputException.class, () -> new RebuildInput(DAY1, DAY1.plusDays(400), null, null))
                .getMessage().startsWith("to: at most 366 days"));
        assertTrue(assertThrows(InvalidInputException.class, () -> new RebuildInput(DAY1, null, List.of("12/34"), null))
                .getMessage().startsWith("accounts[0]: "));
        assertTrue(assertThrows(InvalidInputException.class, () -> new RebuildInput(DAY1, null, null, "000011887755"))
                .getMessage().startsWith("after: must be the cursor"));
    }
}
