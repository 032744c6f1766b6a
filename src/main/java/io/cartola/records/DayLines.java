package io.cartola.records;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The lines of one account's day and the rule that merges a snapshot into them. Every answer is the day
 * so far, so the latest complete snapshot is the day: its lines are current, and a line an earlier one
 * showed that a later complete one does not is kept with {@code RemovedAt} (the first complete snapshot
 * without it) and is no longer current. A line that comes back is current again. A partial snapshot
 * adds and updates but removes nothing. An older snapshot arriving late changes no current line; lines
 * only it showed are kept as removed at the next snapshot the view knows of.
 */
final class DayLines {

    static final String ACCOUNT_NUMBER = "AccountNumber";
    static final String TRANSACTION_KEY = "TransactionKey";
    static final String OPERATION_ID = "OperationId";
    static final String SNAPSHOT_TIME = "SnapshotTime";
    static final String FIRST_SEEN_AT = "FirstSeenAt";
    static final String REMOVED_AT = "RemovedAt";
    /** cartola's own fields, after Khipu's in every line; not part of what a change is. */
    static final Set<String> OWN = Set.of(ACCOUNT_NUMBER, TRANSACTION_KEY, OPERATION_ID, SNAPSHOT_TIME, FIRST_SEEN_AT, REMOVED_AT);

    /** One snapshot: when it was requested, whether it may remove, and its lines keyed by identity. */
    record Snapshot(Instant at, boolean partial, Map<String, ObjectNode> lines) {
    }

    private final Map<String, ObjectNode> lines;

    DayLines(Map<String, ObjectNode> lines) {
        this.lines = lines;
    }

    Iterable<ObjectNode> lines() {
        return lines.values();
    }

    boolean anyCurrent() {
        return lines.values().stream().anyMatch(l -> removedAt(l) == null);
    }

    /** Merges a snapshot; returns what it changed (nothing when the day held all of it already). */
    TransactionView.Changes apply(Snapshot s, int repeatedIds) {
        Instant t = s.at();
        int added = 0, changed = 0, removed = 0;
        boolean modified = false;
        // the same for every new line of this snapshot (merging it records no time after t): looked up once, not
        // once a line, which made a first snapshot of n lines cost n^2 (1,000 lines: 2.6 s and 1.9 GB allocated)
        Instant later = null;
        boolean laterFound = false;
        for (Map.Entry<String, ObjectNode> e : s.lines().entrySet()) {
            ObjectNode line = lines.get(e.getKey());
            ObjectNode incoming = e.getValue();
            if (line == null) {
                if (!laterFound) {
                    later = nextKnownAfter(t);
                    laterFound = true;
                }
                incoming.put(FIRST_SEEN_AT, t.toString());
                incoming.put(REMOVED_AT, later == null ? null : later.toString());
                lines.put(e.getKey(), incoming);
                added += later == null ? 1 : 0;
                modified = true;
                continue;
            }
            Instant first = time(line, FIRST_SEEN_AT);
            Instant last = time(line, SNAPSHOT_TIME);
            Instant gone = removedAt(line);
            String firstSeen = first == null || t.isBefore(first) ? t.toString() : first.toString();
            if (last == null || t.isAfter(last)) {
                // the latest snapshot that shows a line gives its content
                boolean differs = !khipuFields(line).equals(khipuFields(incoming));
                boolean back = gone != null && !gone.isAfter(t);
                incoming.put(FIRST_SEEN_AT, firstSeen);
                incoming.put(REMOVED_AT, back || gone == null ? null : gone.toString());
                lines.put(e.getKey(), incoming);
                changed += differs && !back ? 1 : 0;
                added += back ? 1 : 0;
                modified = true;
            } else if (!firstSeen.equals(line.path(FIRST_SEEN_AT).asText(null))) {
                line.put(FIRST_SEEN_AT, firstSeen);
                modified = true;
            }
        }
        boolean partial = s.partial() || (s.lines().isEmpty() && anyCurrent());
        if (!partial) {
            for (Map.Entry<String, ObjectNode> e : lines.entrySet()) {
                ObjectNode line = e.getValue();
                Instant last = time(line, SNAPSHOT_TIME);
                Instant gone = removedAt(line);
                if (!s.lines().containsKey(e.getKey()) && last != null && last.isBefore(t)
                        && (gone == null || gone.isAfter(t))) {
                    line.put(REMOVED_AT, t.toString());
                    removed += gone == null ? 1 : 0;
                    modified = true;
                }
            }
        }
        return new TransactionView.Changes(modified, added, changed, removed, partial, repeatedIds);
    }

    /** The first snapshot time after {@code t} that the lines record, or null: what a late line was removed at. */
    private Instant nextKnownAfter(Instant t) {
        Instant next = null;
        for (ObjectNode line : lines.values()) {
            for (String field : List.of(FIRST_SEEN_AT, SNAPSHOT_TIME, REMOVED_AT)) {
                Instant at = time(line, field);
                if (at != null && at.isAfter(t) && (next == null || at.isBefore(next))) {
                    next = at;
                }
            }
        }
        return next;
    }

    static Instant removedAt(JsonNode line) {
        return time(line, REMOVED_AT);
    }

    static Instant time(JsonNode line, String field) {
        JsonNode value = line.get(field);
        if (value == null || !value.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** The line without cartola's own fields: what Khipu said of the transaction. */
    static ObjectNode khipuFields(ObjectNode line) {
        ObjectNode copy = line.deepCopy();
        copy.remove(OWN);
        return copy;
    }

    /** Keys of lines in stored order; lines stored without a key get one from {@link TransactionIdentity}. */
    static Map<String, ObjectNode> keyed(List<ObjectNode> stored) {
        List<ObjectNode> unkeyed = new ArrayList<>();
        for (ObjectNode line : stored) {
            if (!line.path(TRANSACTION_KEY).isTextual()) {
                unkeyed.add(line);
            }
        }
        Iterator<String> computed = TransactionIdentity.of(unkeyed).keys().iterator();
        Map<String, ObjectNode> keyed = new LinkedHashMap<>();
        for (ObjectNode line : stored) {
            keyed.put(line.path(TRANSACTION_KEY).isTextual() ? line.get(TRANSACTION_KEY).asText() : computed.next(), line);
        }
        return keyed;
    }
}
