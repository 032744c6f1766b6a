package io.cartola.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cartola.khipu.EnvelopeReader;
import io.cartola.khipu.model.Envelope;
import io.cartola.storage.FileObjectStore;
import io.cartola.storage.ObjectStore;
import io.cartola.storage.S3ObjectStore;
import io.cartola.testing.Envelopes;
import io.cartola.testing.Mappers;
import io.cartola.testing.MotoServer;
import io.cartola.testing.S3Objects;

/** The view's rules: the day as the bank last showed it, on the file store and on S3 (moto). */
class TransactionViewTest {

    static final ObjectMapper MAPPER = Mappers.quarkusLike();
    static final Instant T1 = Instant.parse("2026-11-24T13:00:00Z");
    static final Instant T2 = T1.plusSeconds(3600);
    static final Instant T3 = T2.plusSeconds(3600);
    static final LocalDate DAY = LocalDate.of(2026, 11, 24);

    @TempDir
    Path dir;

    ObjectStore store(String kind) {
        return kind.equals("s3") ? new S3ObjectStore(S3Objects.client(MotoServer.get().endpoint()), MotoServer.BUCKET)
                : new FileObjectStore(dir);
    }

    /** A transaction: Khipu's example with this id (null: none), amount, status and description. */
    static String tx(String id, String amount, String status, String information) {
        String t = Envelopes.transaction(id == null ? "x" : id, "\"" + amount + "\"", information)
                .replace("\"Status\":\"Booked\"", "\"Status\":\"" + status + "\"");
        return id == null ? t.replace("\"TransactionId\":\"x\",", "") : t;
    }

    static String account() {
        return "7" + String.valueOf(System.nanoTime()).substring(4);
    }

    static TransactionView.Merged answer(TransactionView view, String account, Instant at, String envelope) {
        byte[] raw = envelope.getBytes(StandardCharsets.UTF_8);
        Envelope read = new EnvelopeReader(MAPPER).read(raw);
        return view.merge(new AccountRequest("btgpactual.cl", account, "r" + at.toEpochMilli(), at, DAY, Mode.sync), raw, read);
    }

    static TransactionView.Merged snapshot(TransactionView view, String account, Instant at, String... transactions) {
        return answer(view, account, at, Envelopes.ok("op-" + at.getEpochSecond(), transactions));
    }

    static Map<String, JsonNode> lines(ObjectStore store, String account) throws Exception {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        String text = new String(store.read(AccountRequest.viewKey("btgpactual.cl", account, DAY)).orElseThrow().bytes(),
                StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            JsonNode node = MAPPER.readTree(line);
            out.put(node.get("TransactionKey").asText(), node);
        }
        return out;
    }

    static BigDecimal currentTotal(Map<String, JsonNode> lines) {
        return lines.values().stream().filter(l -> l.get("RemovedAt").isNull())
                .map(l -> new BigDecimal(l.at("/Amount/Amount").asText())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    static final String B1 = tx("b-1", "1000", "Booked", "pago");
    static final String P9 = tx("p-9", "2500", "Pending", "compra tarjeta");
    static final String TRANSFER_PENDING = tx(null, "700", "Pending", "transferencia");
    static final String TRANSFER_BOOKED = tx(null, "700", "Booked", "transferencia");
    static final String R5 = tx("r-5", "4000", "Booked", "compra");
    static final String B9 = tx("b-9", "2500", "Booked", "compra tarjeta");

    @ParameterizedTest
    @ValueSource(strings = { "file", "s3" })
    void threeSnapshotsOfOneDayAddUpToTheDayAsTheBankLastShowedIt(String kind) throws Exception {
        ObjectStore store = store(kind);
        TransactionView view = new TransactionView(MAPPER, store);
        String account = account();

        TransactionView.Changes first = snapshot(view, account, T1, B1, P9, TRANSFER_PENDING, R5).changes();
        TransactionView.Changes second = snapshot(view, account, T2, B1, B9, TRANSFER_BOOKED).changes();
        String key = AccountRequest.viewKey("btgpactual.cl", account, DAY);
        String version = store.read(key).orElseThrow().version();
        TransactionView.Merged third = snapshot(view, account, T3, B1, B9, TRANSFER_BOOKED);

        Map<String, JsonNode> lines = lines(store, account);
        assertEquals(new BigDecimal("4200"), currentTotal(lines), "the current lines sum to the day's true total");
        assertEquals(5, lines.size(), "b-1, b-9, the transfer once, and the two that left the day");
        assertEquals(T2.toString(), lines.get("id:p-9").get("RemovedAt").asText(), "pending purchase posted under a new id");
        assertEquals(T2.toString(), lines.get("id:r-5").get("RemovedAt").asText(), "reversed");
        assertEquals(T1.toString(), lines.get("id:p-9").get("SnapshotTime").asText(), "last shown by the first snapshot");
        JsonNode transfer = lines.values().stream().filter(l -> l.get("TransactionKey").asText().startsWith("sha256:")).findFirst().orElseThrow();
        assertEquals(1, lines.values().stream().filter(l -> l.get("TransactionKey").asText().startsWith("sha256:")).count(),
                "the ID-less transfer is one line though it changed status");
        assertEquals("Booked", transfer.get("Status").asText());
        assertTrue(transfer.get("RemovedAt").isNull());
        assertEquals(T1.toString(), transfer.get("FirstSeenAt").asText());
        assertEquals(T3.toString(), transfer.get("SnapshotTime").asText());
        assertEquals(T2.toString(), lines.get("id:b-9").get("FirstSeenAt").asText());
        assertEquals(account, lines.get("id:b-1").get("AccountNumber").asText());

        assertEquals(List.of(4, 0, 0), List.of(first.added(), first.changed(), first.removed()));
        assertEquals(List.of(1, 1, 2), List.of(second.added(), second.changed(), second.removed()), "b-9 added, transfer changed, two removed");
        assertEquals(List.of(0, 0, 0), List.of(third.changes().added(), third.changes().changed(), third.changes().removed()));
        assertTrue(third.changed(), "the third snapshot moves SnapshotTime on");
        assertNotEquals(version, store.read(key).orElseThrow().version());
        String bytes = new String(store.read(key).orElseThrow().bytes(), StandardCharsets.UTF_8);
        assertFalse(snapshot(view, account, T3, B1, B9, TRANSFER_BOOKED).changed(), "the same snapshot again writes nothing");
        assertEquals(bytes, new String(store.read(key).orElseThrow().bytes(), StandardCharsets.UTF_8));
    }

    @Test
    void anOlderSnapshotArrivingLastChangesNoCurrentLine() throws Exception {
        ObjectStore store = store("file");
        TransactionView view = new TransactionView(MAPPER, store);
        String account = account();
        snapshot(view, account, T2, B1, B9, TRANSFER_BOOKED);
        TransactionView.Changes late = snapshot(view, account, T1, B1, P9, TRANSFER_PENDING, R5).changes();

        Map<String, JsonNode> lines = lines(store, account);
        assertEquals(new BigDecimal("4200"), currentTotal(lines));
        assertEquals("Booked", lines.values().stream().filter(l -> l.get("TransactionKey").asText().startsWith("sha256:"))
                .findFirst().orElseThrow().get("Status").asText(), "the newer content stays");
        assertEquals(T2.toString(), lines.get("id:p-9").get("RemovedAt").asText(), "shown only by the older one: kept, removed");
        assertEquals(T1.toString(), lines.get("id:b-1").get("FirstSeenAt").asText(), "first seen earlier than thought");
        assertEquals(0, late.added() + late.changed() + late.removed(), "nothing current changed: " + late);

        // the same lines as when the snapshots came in order
        ObjectStore inOrder = new FileObjectStore(dir.resolve("in-order"));
        TransactionView other = new TransactionView(MAPPER, inOrder);
        snapshot(other, account, T1, B1, P9, TRANSFER_PENDING, R5);
        snapshot(other, account, T2, B1, B9, TRANSFER_BOOKED);
        assertEquals(lines(inOrder, account), lines);
    }

    @ParameterizedTest
    @ValueSource(strings = { "file", "s3" })
    void partialAndEmptySnapshotsAfterAFullOneRemoveNothing(String kind) throws Exception {
        ObjectStore store = store(kind);
        TransactionView view = new TransactionView(MAPPER, store);
        String account = account();
        snapshot(view, account, T1, B1, R5);
        String incomplete = Envelopes.ok("op-partial", B9).replace("\"AdditionalInformation\":null",
                "\"AdditionalInformation\":\"Data is incomplete\"");

        TransactionView.Changes partial = answer(view, account, T2, incomplete).changes();
        TransactionView.Changes empty = snapshot(view, account, T3).changes();

        assertTrue(partial.partial());
        assertEquals(List.of(1, 0), List.of(partial.added(), partial.removed()), "adds b-9, removes nothing");
        assertTrue(empty.partial(), "empty after the day had transactions");
        assertEquals(0, empty.removed());
        Map<String, JsonNode> lines = lines(store, account);
        assertEquals(new BigDecimal("7500"), currentTotal(lines));
        assertTrue(lines.values().stream().allMatch(l -> l.get("RemovedAt").isNull()));
        assertEquals(Map.of("TransactionsAdded", 1, "SnapshotsPartial", 1), partial.metrics());
    }

    @Test
    void anEmptySnapshotOfAnEmptyDayIsComplete() {
        TransactionView view = new TransactionView(MAPPER, store("file"));
        assertFalse(snapshot(view, account(), T1).changes().partial());
    }

    @Test
    void aLineThatComesBackIsCurrentAgain() throws Exception {
        ObjectStore store = store("file");
        TransactionView view = new TransactionView(MAPPER, store);
        String account = account();
        snapshot(view, account, T1, B1, R5);
        snapshot(view, account, T2, B1);
        TransactionView.Changes back = snapshot(view, account, T3, B1, R5).changes();
        assertEquals(1, back.added());
        assertTrue(lines(store, account).get("id:r-5").get("RemovedAt").isNull());
        assertEquals(new BigDecimal("5000"), currentTotal(lines(store, account)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "file", "s3" })
    void blankAndRepeatedIdsKeepEveryTransaction(String kind) throws Exception {
        ObjectStore store = store(kind);
        TransactionView view = new TransactionView(MAPPER, store);
        String account = account();
        String blank1 = tx("", "100", "Booked", "uno");
        String blank2 = tx("", "200", "Booked", "dos");
        String blank3 = tx("   ", "300", "Booked", "tres");
        String twice1 = tx("dup", "10", "Booked", "a");
        String twice2 = tx("dup", "20", "Booked", "b");

        TransactionView.Changes changes = snapshot(view, account, T1, blank1, blank2, blank3, twice1, twice2).changes();
        snapshot(view, account, T2, blank1, blank2, blank3, twice1, twice2);

        Map<String, JsonNode> lines = lines(store, account);
        assertEquals(5, lines.size(), "nothing overwritten: " + lines.keySet());
        assertEquals(new BigDecimal("630"), currentTotal(lines));
        assertTrue(lines.containsKey("id:dup") && lines.containsKey("id#2:dup"), lines.keySet().toString());
        assertEquals(3, lines.keySet().stream().filter(k -> k.startsWith("sha256:")).count(), "a blank id is no id");
        assertEquals(1, changes.repeatedIds(), "reported");
        assertTrue(changes.describe().contains("1 repeated TransactionId"), changes.describe());
    }

    @Test
    void identitiesDoNotDependOnCartolasModelOrOnFieldsThatChangeAsATransactionPosts() throws Exception {
        ObjectStore store = store("file");
        TransactionView view = new TransactionView(MAPPER, store);
        String account = account();
        String coffee = tx(null, "3500.00", "Pending", "Cafe");
        snapshot(view, account, T1, coffee, coffee, B1);
        Map<String, JsonNode> stored = lines(store, account);

        // the stored lines as a model with one more field would write them: the same identities
        List<ObjectNode> withNewField = new ArrayList<>();
        for (JsonNode line : stored.values()) {
            ObjectNode copy = line.deepCopy();
            copy.remove("TransactionKey");
            copy.put("SomeFieldAddedLater", "x");
            withNewField.add(copy);
        }
        assertEquals(List.copyOf(stored.keySet()), TransactionIdentity.of(withNewField).keys());

        // Khipu's raw JSON: a new field, the amount as a number, posting (status, times, balance) change nothing
        String posted = coffee.replace("\"Amount\":\"3500.00\"", "\"Amount\":3500")
                .replace("\"Status\":\"Pending\"", "\"Status\":\"Booked\",\"NewKhipuField\":1")
                .replace("2017-07-22T00:00:00-0400", "2017-07-22T18:30:00-0400")
                .replace("\"1500000.00\"", "\"1496500.00\"");
        JsonNode raw = MAPPER.readTree(posted);
        assertEquals(stored.keySet().iterator().next(), TransactionIdentity.of(List.of(raw)).keys().get(0));

        // and the content that names it does change it
        JsonNode other = MAPPER.readTree(coffee.replace("\"Cafe\"", "\"Cafe 2\""));
        assertNotEquals(stored.keySet().iterator().next(), TransactionIdentity.of(List.of(other)).keys().get(0));
    }

    @Test
    void theIdentityOfATransactionWithAnIdIsItsId() throws Exception {
        assertEquals(List.of("id:a0", "id:a1"), TransactionIdentity.of(List.of(MAPPER.readTree(Envelopes.transaction("a0", "1", "x")),
                MAPPER.readTree(Envelopes.transaction("a1", "1", "x")))).keys());
    }

    @Test
    void identicalTransactionsWithoutAnIdAreTwoLinesAndStayTwo() throws Exception {
        ObjectStore store = store("file");
        TransactionView view = new TransactionView(MAPPER, store);
        String account = account();
        String coffee = tx(null, "3500", "Booked", "Cafe Juan Valdez");
        snapshot(view, account, T1, coffee, coffee);
        snapshot(view, account, T2, coffee, coffee);
        assertEquals(2, lines(store, account).size(), "the same two again, not four");
        snapshot(view, account, T3, coffee, coffee, coffee);
        Map<String, JsonNode> three = lines(store, account);
        assertEquals(3, three.size(), "a third one later");
        assertEquals(List.of("1", "2", "3"), three.keySet().stream().map(k -> k.replaceAll(".*:", "")).toList());
    }

    @Test
    void concurrentSnapshotsOfOneDayOnTheFilesystem() throws Exception {
        concurrentSnapshots(store("file"), 4);
    }

    @Test
    void concurrentSnapshotsOfOneDayOnS3() throws Exception {
        // moto serializes conditional writes as S3 does; on S3Mock 5.2.0 this lost acknowledged lines
        concurrentSnapshots(store("s3"), 10);
    }

    /** Each writer's snapshot has its own five transactions: every line lands, only the latest one's are current. */
    void concurrentSnapshots(ObjectStore store, int writers) throws Exception {
        TransactionView view = new TransactionView(MAPPER, store);
        String account = account();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> merges = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            int n = i;
            merges.add(pool.submit(() -> {
                go.await();
                return snapshot(view, account, T1.plusSeconds(n), Envelopes.transactions(5, "w" + n + "-"));
            }));
        }
        go.countDown();
        for (Future<?> m : merges) {
            m.get();
        }
        pool.shutdown();
        Map<String, JsonNode> lines = lines(store, account);
        assertEquals(5 * writers, lines.size(), "no snapshot lost to a concurrent write");
        for (int n = 0; n < writers; n++) {
            JsonNode line = lines.get("id:w" + n + "-0");
            if (n == writers - 1) {
                assertTrue(line.get("RemovedAt").isNull(), "the latest snapshot's lines are current");
            } else {
                assertEquals(T1.plusSeconds(n + 1).toString(), line.get("RemovedAt").asText(),
                        "removed by the next snapshot, whatever order they came in");
            }
        }
    }

    @Test
    void nothingRemovedIsCurrentAndNullIsWrittenForCurrentLines() throws Exception {
        ObjectStore store = store("file");
        TransactionView view = new TransactionView(MAPPER, store);
        String account = account();
        snapshot(view, account, T1, B1);
        String text = new String(store.read(AccountRequest.viewKey("btgpactual.cl", account, DAY)).orElseThrow().bytes(),
                StandardCharsets.UTF_8);
        assertTrue(text.contains("\"RemovedAt\":null"), "every line has the column, so every reader sees it: " + text);
        assertNull(DayLines.removedAt(MAPPER.readTree(text)));
    }
}
