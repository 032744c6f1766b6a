package io.cartola.records;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

import io.cartola.khipu.model.Transaction;
import io.cartola.storage.ObjectStore;
import io.cartola.storage.StorageException;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The query-ready view: one JSON object per line per account and day. Every fetch returns the whole
 * day so far, so snapshots overlap: a transaction from a later snapshot replaces the earlier line
 * instead of adding one, and an older snapshot arriving late changes nothing. Each line carries
 * {@code TransactionKey} (its identity, see {@link #identities}), {@code OperationId} and
 * {@code SnapshotTime} (when the snapshot was requested).
 */
@ApplicationScoped
public class TransactionView {

    static final String OPERATION_ID = "OperationId";
    static final String SNAPSHOT_TIME = "SnapshotTime";
    static final String TRANSACTION_KEY = "TransactionKey";

    /** A line of the view: the transaction's own fields, then its identity and where it came from. */
    @RegisterForReflection
    record ViewLine(@JsonUnwrapped Transaction transaction,
            @JsonProperty(TRANSACTION_KEY) String transactionKey,
            @JsonProperty(OPERATION_ID) String operationId,
            @JsonProperty(SNAPSHOT_TIME) String snapshotTime) {
    }

    /** A line as stored, with what the merge needs to know of it. */
    private record Line(String json, Instant snapshot) {
    }

    private final ObjectMapper mapper;
    private final ObjectWriter lineWriter;
    private final ObjectWriter transactionWriter;
    private final ObjectReader transactionReader;
    private final ObjectStore store;

    public TransactionView(ObjectMapper mapper, ObjectStore store) {
        // amounts stay exact: no doubles when reading lines back, no trailing-zero stripping, no 1E+3
        this.mapper = mapper.copy()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                .disable(SerializationFeature.INDENT_OUTPUT);
        this.lineWriter = this.mapper.writerFor(ViewLine.class);
        this.transactionWriter = this.mapper.writerFor(Transaction.class);
        this.transactionReader = this.mapper.readerFor(Transaction.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.store = store;
    }

    /**
     * The identity of each transaction of one snapshot, in order: {@code id:<TransactionId>} when it
     * has one; otherwise {@code sha256:<hash of its content>:<n>}, where n counts identical
     * transactions in the snapshot (1, 2, ...), so two identical purchases stay two, and the same two
     * in a later snapshot are the same two again. The content is the transaction as the view writes
     * it (Khipu's fields, exact amounts, ISO date-times), without cartola's own fields.
     */
    public List<String> identities(List<Transaction> transactions) {
        List<String> keys = new ArrayList<>(transactions.size());
        Map<String, Integer> seen = new HashMap<>();
        try {
            for (Transaction t : transactions) {
                if (t.transactionId() != null) {
                    keys.add("id:" + t.transactionId());
                } else {
                    String hash = sha256(transactionWriter.writeValueAsBytes(t));
                    keys.add("sha256:" + hash + ":" + seen.merge(hash, 1, Integer::sum));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    /** Where a snapshot was merged, and whether the view changed (false when it held all of it already). */
    public record Merged(String key, boolean changed) {
    }

    /** Merges a snapshot's transactions into the day's view. */
    public Merged merge(AccountRequest snapshot, String operationId, List<Transaction> transactions) {
        String key = snapshot.viewKey();
        Instant at = snapshot.requestedAt();
        Map<String, Line> incoming = new LinkedHashMap<>();
        List<String> ids = identities(transactions);
        try {
            for (int i = 0; i < transactions.size(); i++) {
                String json = lineWriter.writeValueAsString(new ViewLine(transactions.get(i), ids.get(i), operationId, at.toString()));
                incoming.put(ids.get(i), new Line(json, at));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        java.util.concurrent.atomic.AtomicBoolean wrote = new java.util.concurrent.atomic.AtomicBoolean();
        Contention.retry("the view " + key, () -> {
            Optional<ObjectStore.Stored> current = store.read(key);
            Map<String, Line> lines = current.map(s -> parse(s.bytes())).orElseGet(LinkedHashMap::new);
            boolean changed = false;
            for (Map.Entry<String, Line> e : incoming.entrySet()) {
                Line existing = lines.get(e.getKey());
                if (existing == null || (!existing.json().equals(e.getValue().json())
                        && (existing.snapshot() == null || !existing.snapshot().isAfter(at)))) {
                    lines.put(e.getKey(), e.getValue());
                    changed = true;
                }
            }
            if (!changed && current.isPresent()) {
                return true;
            }
            boolean replaced = store.replace(key, write(lines), "application/x-ndjson", current.map(ObjectStore.Stored::version).orElse(null));
            wrote.set(replaced);
            return replaced;
        });
        return new Merged(key, wrote.get());
    }

    /**
     * Reads only the top-level TransactionKey and SnapshotTime of each line; the rest stays text. A
     * line written before lines carried their key gets it from {@link #identities}, like a new one.
     */
    private Map<String, Line> parse(byte[] bytes) {
        List<Line> read = new ArrayList<>();
        List<String> keys = new ArrayList<>(); // null where the line has no TransactionKey
        List<Transaction> unkeyed = new ArrayList<>();
        for (String json : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (json.isBlank()) {
                continue;
            }
            String id = null;
            Instant snapshot = null;
            try (JsonParser p = mapper.createParser(json)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new StorageException("the view holds a line that is not a JSON object", null);
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (TRANSACTION_KEY.equals(name) && value == JsonToken.VALUE_STRING) {
                        id = p.getText();
                    } else if (SNAPSHOT_TIME.equals(name) && value == JsonToken.VALUE_STRING) {
                        snapshot = parseInstant(p.getText());
                    } else {
                        p.skipChildren();
                    }
                }
                if (id == null) {
                    unkeyed.add(transactionReader.readValue(json));
                }
                keys.add(id);
                read.add(new Line(json, snapshot));
            } catch (IOException e) {
                throw new StorageException("the view holds a line that is not valid JSON", e);
            }
        }
        Iterator<String> computed = identities(unkeyed).iterator();
        Map<String, Line> lines = new LinkedHashMap<>();
        for (int i = 0; i < read.size(); i++) {
            lines.put(keys.get(i) != null ? keys.get(i) : computed.next(), read.get(i));
        }
        return lines;
    }

    private static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static byte[] write(Map<String, Line> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Line line : lines.values()) {
            out.writeBytes(line.json().getBytes(StandardCharsets.UTF_8));
            out.write('\n');
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
