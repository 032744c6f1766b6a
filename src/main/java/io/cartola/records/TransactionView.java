package io.cartola.records;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cartola.khipu.model.Envelope;
import io.cartola.khipu.model.Transaction;
import io.cartola.storage.ObjectStore;
import io.cartola.storage.StorageException;

/**
 * The query-ready view: one JSON object per line per account and day, the day as the bank last showed
 * it (see {@link DayLines} for the rule). Each line is the transaction in Khipu's field names, then
 * {@code AccountNumber}, {@code TransactionKey} (its identity, {@link TransactionIdentity}),
 * {@code OperationId} and {@code SnapshotTime} (the latest snapshot showing it), {@code FirstSeenAt} and
 * {@code RemovedAt} (null while current). Merges are conditional writes: concurrent writers lose nothing.
 */
@ApplicationScoped
public class TransactionView {

    /**
     * What merging one snapshot did: whether the view changed, lines added (or back), changed and newly
     * removed, whether the snapshot was partial (so removed nothing), and ids repeated within it.
     */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Changes(@com.fasterxml.jackson.annotation.JsonIgnore boolean modified, int added, int changed, int removed,
            boolean partial, int repeatedIds,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT) int balanceGaps,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT) int daysUnclosed,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String gap) {
        public static final Changes NONE = new Changes(false, 0, 0, 0, false, 0);

        public Changes(boolean modified, int added, int changed, int removed, boolean partial, int repeatedIds) {
            this(modified, added, changed, removed, partial, repeatedIds, 0, 0, null);
        }

        /**
         * With what the day's reconciliation found: gaps newly recorded, a previous day found not closed, and the
         * day's gap described (amounts and TransactionKeys, no account number).
         */
        public Changes withDay(int newGaps, int unclosed, String dayGap) {
            return new Changes(modified, added, changed, removed, partial, repeatedIds, newGaps, unclosed, dayGap);
        }

        /** Two merges' counts together (a run's); partial when either was. A gap's description stays with its account. */
        public Changes plus(Changes other) {
            return other == null ? this : new Changes(modified || other.modified, added + other.added, changed + other.changed,
                    removed + other.removed, partial || other.partial, repeatedIds + other.repeatedIds,
                    balanceGaps + other.balanceGaps, daysUnclosed + other.daysUnclosed, null);
        }

        /** The counts as metrics (only those not zero). */
        public Map<String, Integer> metrics() {
            Map<String, Integer> m = new LinkedHashMap<>();
            put(m, "TransactionsAdded", added);
            put(m, "TransactionsChanged", changed);
            put(m, "TransactionsRemoved", removed);
            put(m, "SnapshotsPartial", partial ? 1 : 0);
            put(m, "TransactionIdsRepeated", repeatedIds);
            put(m, "BalanceGaps", balanceGaps);
            put(m, "DaysUnclosed", daysUnclosed);
            return m;
        }

        /** For an answer: "added 1, changed 0, removed 2" and what was unusual. */
        public String describe() {
            return "added " + added + ", changed " + changed + ", removed " + removed
                    + (partial ? "; partial snapshot (Khipu said its data is incomplete, or it was empty): nothing removed" : "")
                    + (repeatedIds > 0 ? "; " + repeatedIds + " repeated TransactionId kept as separate lines" : "")
                    + (gap != null ? "; the day does not reconcile with the bank's balances: " + gap : "");
        }

        private static void put(Map<String, Integer> m, String name, int value) {
            if (value != 0) {
                m.put(name, value);
            }
        }
    }

    /** Where a snapshot was merged, and what it changed. */
    public record Merged(String key, Changes changes) {
        public boolean changed() {
            return changes.modified();
        }
    }

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

    /** Merges an answer with data ({@code raw}, as Khipu sent it, read into {@code envelope}) into its day. */
    public Merged merge(AccountRequest s, byte[] raw, Envelope envelope) {
        Prepared snapshot = prepare(s, raw, envelope);
        String key = s.viewKey();
        AtomicReference<Changes> result = new AtomicReference<>(Changes.NONE);
        Contention.retry("the view " + key, () -> {
            Optional<ObjectStore.Stored> current = store.read(key);
            DayLines day = new DayLines(current.map(c -> parse(c.bytes())).orElseGet(LinkedHashMap::new));
            Changes changes = day.apply(snapshot.fresh(), snapshot.repeatedIds());
            result.set(changes);
            if (!changes.modified() && current.isPresent()) {
                return true;
            }
            return store.replace(key, write(day.lines()), "application/x-ndjson", current.map(ObjectStore.Stored::version).orElse(null));
        });
        return new Merged(key, result.get());
    }

    /** The lines of the view at {@code key}, in stored order (none when there is no view). */
    public List<ObjectNode> lines(String key) {
        return store.read(key).map(c -> List.copyOf(parse(c.bytes()).values())).orElse(List.of());
    }

    /** A stored answer with data, for {@link #rebuild}. */
    public record Answer(AccountRequest request, byte[] raw, Envelope envelope) {
    }

    /**
     * Replaces the view at {@code key} by what the day's answers make of it, merged in request order (so a
     * rebuild equals a fresh ingest of the same answers). {@code answers} is asked anew at each attempt,
     * after the view's version is read: an answer stored meanwhile is either listed or makes the write fail
     * and the attempt start over, so a live callback during a rebuild loses nothing.
     */
    public Merged rebuild(String key, java.util.function.Supplier<List<Answer>> answers) {
        AtomicReference<Changes> result = new AtomicReference<>(Changes.NONE);
        Contention.retry("the view " + key, () -> {
            Optional<ObjectStore.Stored> current = store.read(key);
            List<Answer> ordered = new ArrayList<>(answers.get());
            ordered.sort(java.util.Comparator.comparing((Answer a) -> a.request().requestedAt())
                    .thenComparing(a -> a.request().requestId()));
            DayLines day = new DayLines(new LinkedHashMap<>());
            Changes changes = Changes.NONE;
            for (Answer a : ordered) {
                Prepared snapshot = prepare(a.request(), a.raw(), a.envelope());
                changes = day.apply(snapshot.fresh(), snapshot.repeatedIds()).plus(changes);
            }
            byte[] bytes = write(day.lines());
            // no answer with data: nothing to make a view of, and an existing one is left as it is
            boolean same = ordered.isEmpty() || current.map(c -> java.util.Arrays.equals(c.bytes(), bytes)).orElse(false);
            result.set(new Changes(!same, changes.added(), changes.changed(), changes.removed(), changes.partial(),
                    changes.repeatedIds()));
            return same || store.replace(key, bytes, "application/x-ndjson", current.map(ObjectStore.Stored::version).orElse(null));
        });
        return new Merged(key, result.get());
    }

    /** A snapshot ready to merge: its lines are made anew for each attempt, as merging changes them. */
    record Prepared(List<String> keys, List<ObjectNode> lines, java.time.Instant at, boolean partial, int repeatedIds) {
        DayLines.Snapshot fresh() {
            Map<String, ObjectNode> byKey = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                byKey.put(keys.get(i), lines.get(i).deepCopy());
            }
            return new DayLines.Snapshot(at, partial, byKey);
        }
    }

    Prepared prepare(AccountRequest s, byte[] raw, Envelope envelope) {
        List<Transaction> transactions = envelope.transactions();
        TransactionIdentity.Keys keys = TransactionIdentity.of(rawTransactions(raw, transactions.size()));
        String at = s.requestedAt().toString();
        List<ObjectNode> lines = new ArrayList<>(transactions.size());
        for (int i = 0; i < transactions.size(); i++) {
            ObjectNode line = mapper.valueToTree(transactions.get(i));
            line.put(DayLines.ACCOUNT_NUMBER, s.account());
            line.put(DayLines.TRANSACTION_KEY, keys.keys().get(i));
            line.put(DayLines.OPERATION_ID, envelope.operationId());
            line.put(DayLines.SNAPSHOT_TIME, at);
            line.put(DayLines.FIRST_SEEN_AT, at);
            line.putNull(DayLines.REMOVED_AT);
            lines.add(line);
        }
        String info = envelope.additionalInformation();
        return new Prepared(keys.keys(), lines, s.requestedAt(), info != null && !info.isBlank(), keys.repeatedIds());
    }

    /** The transactions exactly as Khipu sent them (one object is taken as a list of one, as the reader does). */
    private List<JsonNode> rawTransactions(byte[] raw, int expected) {
        JsonNode data;
        try {
            data = mapper.readTree(raw).path("Data").path("Transaction");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<JsonNode> list = new ArrayList<>();
        if (data.isArray()) {
            data.forEach(list::add);
        } else if (data.isObject()) {
            list.add(data);
        }
        if (list.size() != expected) {
            throw new IllegalStateException("the answer's Data.Transaction has " + list.size() + " entries, read " + expected);
        }
        return list;
    }

    Map<String, ObjectNode> parse(byte[] bytes) {
        List<ObjectNode> read = new ArrayList<>();
        for (String json : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (json.isBlank()) {
                continue;
            }
            try {
                JsonNode node = mapper.readTree(json);
                if (!(node instanceof ObjectNode line)) {
                    throw new StorageException("the view holds a line that is not a JSON object", null);
                }
                read.add(line);
            } catch (IOException e) {
                throw new StorageException("the view holds a line that is not valid JSON", e);
            }
        }
        return DayLines.keyed(read);
    }

    byte[] write(Iterable<ObjectNode> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (ObjectNode line : lines) {
                out.writeBytes(mapper.writeValueAsBytes(line));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
