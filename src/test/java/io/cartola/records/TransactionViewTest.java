package io.cartola.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cartola.khipu.EnvelopeReader;
import io.cartola.khipu.model.Transaction;
import io.cartola.storage.FileObjectStore;
import io.cartola.storage.ObjectStore;
import io.cartola.storage.S3ObjectStore;
import io.cartola.testing.Envelopes;
import io.cartola.testing.Mappers;
import io.cartola.testing.MotoServer;
import io.cartola.testing.S3Objects;

class TransactionViewTest {

    static final ObjectMapper MAPPER = Mappers.quarkusLike();
    static final Instant T0 = Instant.parse("2026-11-24T13:00:00Z");

    @TempDir
    Path dir;

    static List<Transaction> txs(String... json) {
        return new EnvelopeReader(MAPPER).read(Envelopes.ok("op", json).getBytes(StandardCharsets.UTF_8)).transactions();
    }

    static AccountRequest at(String account, Instant when) {
        return new AccountRequest("btgpactual.cl", account, java.util.UUID.randomUUID().toString(), when, LocalDate.of(2026, 11, 24), Mode.sync);
    }

    static List<JsonNode> lines(ObjectStore store, String key) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : new String(store.read(key).orElseThrow().bytes(), StandardCharsets.UTF_8).split("\n")) {
            out.add(MAPPER.readTree(line));
        }
        return out;
    }

    @Test
    void mergingTheSameSnapshotTwiceChangesNothing() throws Exception {
        ObjectStore store = new FileObjectStore(dir);
        TransactionView view = new TransactionView(MAPPER, store);
        AccountRequest s = at("1", T0);
        String key = view.merge(s, "op-1", txs(Envelopes.transactions(3, "a"))).key();
        String version = store.read(key).orElseThrow().version();
        assertFalse(view.merge(s, "op-1", txs(Envelopes.transactions(3, "a"))).changed(), "the same snapshot again writes nothing");
        assertEquals(version, store.read(key).orElseThrow().version());
        assertEquals(3, lines(store, key).size());
    }

    @Test
    void transactionsWithoutAnIdAreDeduplicatedByContent() throws Exception {
        ObjectStore store = new FileObjectStore(dir);
        TransactionView view = new TransactionView(MAPPER, store);
        String noId = Envelopes.withoutId("\"5\"", "sin id");
        view.merge(at("2", T0), "op-1", txs(noId));
        String key = view.merge(at("2", T0.plusSeconds(60)), "op-2", txs(noId)).key();
        assertEquals(1, lines(store, key).size());
    }

    @Test
    void identicalTransactionsWithoutAnIdAreTwoLinesAndStayTwo() throws Exception {
        ObjectStore store = new FileObjectStore(dir);
        TransactionView view = new TransactionView(MAPPER, store);
        String coffee = Envelopes.withoutId("\"3500\"", "Cafe Juan Valdez");
        String key = view.merge(at("3", T0), "op-1", txs(coffee, coffee)).key();
        assertEquals(2, lines(store, key).size(), "two identical purchases are two transactions");
        view.merge(at("3", T0.plusSeconds(60)), "op-2", txs(coffee, coffee));
        assertEquals(2, lines(store, key).size(), "the same two again, not four");
        view.merge(at("3", T0.plusSeconds(120)), "op-3", txs(coffee, coffee, coffee));
        List<JsonNode> three = lines(store, key);
        assertEquals(3, three.size(), "a third one later");
        assertEquals(List.of(1, 2, 3), three.stream().map(l -> Integer.parseInt(l.get("TransactionKey").asText().replaceAll(".*:", ""))).toList());
        assertTrue(three.get(0).get("TransactionKey").asText().startsWith("sha256:"));
    }

    @Test
    void theIdentityIsTheTransactionIdWhenThereIsOne() {
        TransactionView view = new TransactionView(MAPPER, new FileObjectStore(dir));
        assertEquals(List.of("id:a0", "id:a1"), view.identities(txs(Envelopes.transactions(2, "a"))));
    }

    @Test
    void linesWrittenBeforeTheyCarriedTheirKeyGetTheSameIdentity() throws Exception {
        ObjectStore store = new FileObjectStore(dir);
        TransactionView view = new TransactionView(MAPPER, store);
        String coffee = Envelopes.withoutId("\"3500\"", "Cafe");
        String key = view.merge(at("4", T0), "op-1", txs(coffee, coffee, Envelopes.transaction("t-1", "\"1\"", "uno"))).key();
        // as an earlier cartola wrote them: no TransactionKey
        String old = new String(store.read(key).orElseThrow().bytes(), StandardCharsets.UTF_8)
                .replaceAll(",\"TransactionKey\":\"[^\"]*\"", "");
        assertTrue(!old.contains("TransactionKey"));
        store.replace(key, old.getBytes(StandardCharsets.UTF_8), "application/x-ndjson", store.read(key).orElseThrow().version());

        view.merge(at("4", T0.plusSeconds(60)), "op-2", txs(coffee, coffee, Envelopes.transaction("t-1", "\"1\"", "uno")));

        assertEquals(3, lines(store, key).size());
    }

    @Test
    void concurrentSnapshotsAllLandInTheViewOnTheFilesystem() throws Exception {
        concurrentSnapshots(new FileObjectStore(dir), 4);
    }

    @Test
    void concurrentSnapshotsAllLandInTheViewOnS3() throws Exception {
        // moto serializes conditional writes as S3 does; on S3Mock 5.2.0 this lost acknowledged lines
        concurrentSnapshots(new S3ObjectStore(S3Objects.client(MotoServer.get().endpoint()), MotoServer.BUCKET), 10);
    }

    void concurrentSnapshots(ObjectStore store, int writers) throws Exception {
        TransactionView view = new TransactionView(MAPPER, store);
        String account = "cc" + System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> merges = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            int n = i;
            merges.add(pool.submit(() -> {
                go.await();
                return view.merge(at(account, T0.plusSeconds(n)), "op-" + n, txs(Envelopes.transactions(5, "w" + n + "-"))).key();
            }));
        }
        go.countDown();
        String key = null;
        for (Future<String> m : merges) {
            key = m.get();
        }
        pool.shutdown();
        assertEquals(5 * writers, lines(store, key).size(), "no snapshot lost to a concurrent write");
    }
}
