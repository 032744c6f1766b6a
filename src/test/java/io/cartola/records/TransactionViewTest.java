package io.cartola.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
import io.cartola.testing.Envelopes;
import io.cartola.testing.Mappers;

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
        String key = view.merge(s, "op-1", txs(Envelopes.transactions(3, "a")));
        String version = store.read(key).orElseThrow().version();
        view.merge(s, "op-1", txs(Envelopes.transactions(3, "a")));
        assertEquals(version, store.read(key).orElseThrow().version());
        assertEquals(3, lines(store, key).size());
    }

    @Test
    void transactionsWithoutAnIdAreDeduplicatedByContent() throws Exception {
        ObjectStore store = new FileObjectStore(dir);
        TransactionView view = new TransactionView(MAPPER, store);
        String noId = Envelopes.transaction("x", "\"5\"", "sin id").replace("\"TransactionId\":\"x\",", "");
        view.merge(at("2", T0), "op-1", txs(noId));
        String key = view.merge(at("2", T0.plusSeconds(60)), "op-2", txs(noId));
        assertEquals(1, lines(store, key).size());
    }

    @Test
    void concurrentSnapshotsAllLandInTheView() throws Exception {
        // on the filesystem store: S3Mock does not serialize concurrent conditional writes (see ObjectStoreContractTest)
        ObjectStore store = new FileObjectStore(dir);
        TransactionView view = new TransactionView(MAPPER, store);
        String account = "cc" + System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> merges = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            merges.add(pool.submit(() -> view.merge(at(account, T0.plusSeconds(n)), "op-" + n,
                    txs(Envelopes.transactions(5, "w" + n + "-")))));
        }
        String key = null;
        for (Future<String> m : merges) {
            key = m.get();
        }
        pool.shutdown();
        assertEquals(20, lines(store, key).size(), "no snapshot lost to a concurrent write");
    }
}
