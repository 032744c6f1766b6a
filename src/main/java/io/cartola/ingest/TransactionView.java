package io.cartola.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cartola.khipu.model.Transaction;
import io.cartola.storage.ObjectStore;
import io.cartola.storage.StorageException;

/**
 * The query-ready view: one JSON object per line per account and day, keyed by {@code TransactionId}.
 * Every fetch returns the whole day so far, so snapshots overlap: a transaction from a later snapshot
 * replaces the earlier line instead of adding one, and an older snapshot arriving late changes
 * nothing. Each line carries {@code OperationId} and {@code SnapshotTime} (when it was requested).
 */
@ApplicationScoped
public class TransactionView {

    static final String OPERATION_ID = "OperationId";
    static final String SNAPSHOT_TIME = "SnapshotTime";
    static final int MAX_ATTEMPTS = 8;

    private final ObjectMapper mapper;
    private final ObjectStore store;

    public TransactionView(ObjectMapper mapper, ObjectStore store) {
        // amounts stay exact: no doubles when reading lines back, no trailing-zero stripping, no 1E+3
        this.mapper = mapper.copy()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                .disable(SerializationFeature.INDENT_OUTPUT);
        this.store = store;
    }

    /** Merges a snapshot's transactions into the day's view; returns the view's key. */
    public String merge(Snapshot snapshot, String operationId, List<Transaction> transactions) {
        String key = snapshot.viewKey();
        Map<String, ObjectNode> incoming = new LinkedHashMap<>();
        for (Transaction t : transactions) {
            ObjectNode line = mapper.valueToTree(t);
            line.put(OPERATION_ID, operationId);
            line.put(SNAPSHOT_TIME, snapshot.requestedAt().toString());
            incoming.put(idOf(t, line), line);
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<ObjectStore.Stored> current = store.read(key);
            Map<String, ObjectNode> lines = current.map(s -> parse(s.bytes())).orElseGet(LinkedHashMap::new);
            boolean changed = false;
            for (Map.Entry<String, ObjectNode> e : incoming.entrySet()) {
                ObjectNode existing = lines.get(e.getKey());
                if (existing == null || (!existing.equals(e.getValue()) && !newer(existing, snapshot.requestedAt()))) {
                    lines.put(e.getKey(), e.getValue());
                    changed = true;
                }
            }
            if (!changed && current.isPresent()) {
                return key;
            }
            if (store.replace(key, write(lines), "application/x-ndjson", current.map(ObjectStore.Stored::version).orElse(null))) {
                return key;
            }
        }
        throw new StorageException("the view " + key + " kept changing under " + MAX_ATTEMPTS + " attempts to update it", null);
    }

    private static boolean newer(ObjectNode line, Instant than) {
        JsonNode time = line.get(SNAPSHOT_TIME);
        try {
            return time != null && Instant.parse(time.asText()).isAfter(than);
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    private Map<String, ObjectNode> parse(byte[] bytes) {
        Map<String, ObjectNode> lines = new LinkedHashMap<>();
        String text = new String(bytes, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                ObjectNode node = (ObjectNode) mapper.readTree(line);
                JsonNode id = node.get("TransactionId");
                lines.put(id != null && !id.isNull() ? "id:" + id.asText() : "sha256:" + sha256(withoutMeta(node)), node);
            } catch (IOException | ClassCastException e) {
                throw new StorageException("the view holds a line that is not a JSON object", e);
            }
        }
        return lines;
    }

    private String idOf(Transaction t, ObjectNode line) {
        // without an id, identical content is the same transaction
        return t.transactionId() != null ? "id:" + t.transactionId() : "sha256:" + sha256(withoutMeta(line));
    }

    private byte[] withoutMeta(ObjectNode line) {
        ObjectNode copy = line.deepCopy();
        copy.remove(OPERATION_ID);
        copy.remove(SNAPSHOT_TIME);
        try {
            return mapper.writeValueAsBytes(copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] write(Map<String, ObjectNode> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (ObjectNode line : lines.values()) {
                out.write(mapper.writeValueAsBytes(line));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
