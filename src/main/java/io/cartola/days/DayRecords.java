package io.cartola.days;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cartola.config.CartolaConfig;
import io.cartola.records.AccountRequest;
import io.cartola.records.Contention;
import io.cartola.records.TransactionView;
import io.cartola.storage.ObjectStore;

/**
 * Keeps each account-day's {@link DayRecord}. Every stored snapshot reconciles the day (two GETs: the record
 * and the view), but the record is written only when that says something new: the day's first snapshot
 * (which also reads the previous day's record once, for the overnight check and to count it if it was not
 * closed), a gap that appears, changes or is filled, and the closing snapshot. A day without gaps costs two
 * writes; an overnight gap one more on each of the two days. Lost and failed requests add their id (one write
 * each, rare). All writes are conditional: concurrent callbacks of one account lose nothing.
 */
@ApplicationScoped
public class DayRecords {

    /** What one snapshot found: a gap newly recorded, yesterday found not closed, and the day's gap described (or null). */
    public record Outcome(int balanceGaps, int daysUnclosed, String gap) {
        public static final Outcome NONE = new Outcome(0, 0, null);
    }

    private static final String JSON = "application/json";

    private final ObjectStore store;
    private final TransactionView view;
    private final ObjectMapper mapper;
    private final ZoneId zone;
    private final LocalTime closedAfter;
    private final Clock clock;

    @Inject
    public DayRecords(ObjectStore store, TransactionView view, ObjectMapper mapper, CartolaConfig config, Clock clock) {
        this(store, view, mapper, config.zone(), config.days().closedAfter(), clock);
    }

    public DayRecords(ObjectStore store, TransactionView view, ObjectMapper mapper, ZoneId zone, LocalTime closedAfter,
            Clock clock) {
        this.store = store;
        this.view = view;
        this.mapper = mapper;
        this.zone = zone;
        this.closedAfter = closedAfter;
        this.clock = clock;
    }

    /** Whether a snapshot requested at {@code at} closes its day: the day-end run's, or any late enough. */
    public boolean closes(Instant at) {
        return !at.atZone(zone).toLocalTime().isBefore(closedAfter);
    }

    public Optional<DayRecord> read(String institution, String account, LocalDate day) {
        return store.read(DayRecord.key(institution, day, account)).map(this::decode);
    }

    /** Reconciles the day of a stored snapshot, after its view merge; writes the record when that says something new. */
    public Outcome snapshot(AccountRequest s) {
        String key = DayRecord.key(s.institution(), s.day(), s.account());
        AtomicReference<Outcome> result = new AtomicReference<>(Outcome.NONE);
        AtomicReference<BigDecimal> overnight = new AtomicReference<>();
        Contention.retry("the day record " + key, () -> {
            Optional<ObjectStore.Stored> current = store.read(key);
            DayRecord before = current.map(this::decode).orElse(null);
            boolean first = before == null || before.snapshots() == 0;
            DayRecord base = before != null ? before : DayRecord.empty(s.institution(), s.account(), s.day());
            int unclosed = 0;
            String previousClosing = base.previousClosingBalance();
            if (first) {
                Optional<DayRecord> previous = read(s.institution(), s.account(), s.day().minusDays(1));
                previousClosing = previous.map(DayRecord::closingBalance).orElse(null);
                unclosed = previous.isPresent() && !previous.get().closed() ? 1 : 0;
            }
            List<ObjectNode> lines = view.lines(s.viewKey());
            Reconciliation.Result r = Reconciliation.of(lines);
            BigDecimal openingGap = Reconciliation.overnight(decimal(previousClosing), r.opening());
            boolean gapChanged = !base.gaps().equals(r.gaps()) || !same(decimal(base.openingGapAmount()), openingGap);
            // written once when the day closes: later closing snapshots change the record only through a gap
            boolean closing = closes(s.requestedAt()) && !base.closed();
            String described = describe(r, openingGap);
            if (!first && !gapChanged && !closing) {
                result.set(new Outcome(0, 0, described));
                return true;
            }
            DayRecord next = build(base, s, lines, r, previousClosing, openingGap);
            if (!store.replace(key, encode(next), JSON, current.map(ObjectStore.Stored::version).orElse(null))) {
                return false;
            }
            boolean newGap = gapChanged && (!r.gaps().isEmpty() || openingGap != null);
            result.set(new Outcome(newGap ? 1 : 0, unclosed, described));
            overnight.set(gapChanged ? openingGap : null);
            return true;
        });
        if (overnight.get() != null) {
            recordOvernight(s.institution(), s.account(), s.day().minusDays(1), overnight.get());
        }
        return result.get();
    }

    /** Adds a lost or failed request to its day (idempotent). */
    public void request(AccountRequest s, boolean lost) {
        String key = DayRecord.key(s.institution(), s.day(), s.account());
        Contention.retry("the day record " + key, () -> {
            Optional<ObjectStore.Stored> current = store.read(key);
            DayRecord d = current.map(this::decode).orElseGet(() -> DayRecord.empty(s.institution(), s.account(), s.day()));
            List<String> ids = new ArrayList<>(lost ? d.lost() : d.failed());
            if (ids.contains(s.requestId())) {
                return true;
            }
            ids.add(s.requestId());
            DayRecord next = new DayRecord(d.institution(), d.account(), d.day(), d.snapshots(), d.firstSnapshotAt(),
                    d.lastSnapshotAt(), d.closed(), d.closedAt(), d.transactions(), d.removed(), d.credits(), d.debits(),
                    d.openingBalance(), d.closingBalance(), d.reconciliation(), d.gapAmount(), d.gaps(), d.overnightGapAmount(),
                    d.previousClosingBalance(), d.openingGapAmount(), lost ? ids : d.lost(), lost ? d.failed() : ids, d.asOf(),
                    clock.instant());
            return store.replace(key, encode(next), JSON, current.map(ObjectStore.Stored::version).orElse(null));
        });
    }

    /** Records on the earlier day what its next day's opening showed was booked after its last snapshot. */
    private void recordOvernight(String institution, String account, LocalDate day, BigDecimal amount) {
        String key = DayRecord.key(institution, day, account);
        Contention.retry("the day record " + key, () -> {
            Optional<ObjectStore.Stored> current = store.read(key);
            if (current.isEmpty()) {
                return true;
            }
            DayRecord d = decode(current.get());
            if (same(decimal(d.overnightGapAmount()), amount)) {
                return true;
            }
            BigDecimal gaps = d.gaps().stream().map(g -> new BigDecimal(g.amount())).reduce(BigDecimal.ZERO, BigDecimal::add);
            DayRecord next = new DayRecord(d.institution(), d.account(), d.day(), d.snapshots(), d.firstSnapshotAt(),
                    d.lastSnapshotAt(), d.closed(), d.closedAt(), d.transactions(), d.removed(), d.credits(), d.debits(),
                    d.openingBalance(), d.closingBalance(), Reconciliation.Status.gap.name(), gaps.add(amount).toPlainString(),
                    d.gaps(), amount.toPlainString(), d.previousClosingBalance(), d.openingGapAmount(), d.lost(), d.failed(),
                    d.asOf(), clock.instant());
            return store.replace(key, encode(next), JSON, current.get().version());
        });
    }

    private DayRecord build(DayRecord base, AccountRequest s, List<ObjectNode> lines, Reconciliation.Result r,
            String previousClosing, BigDecimal openingGap) {
        int snapshots = 0;
        Instant firstAt = null;
        Instant lastAt = null;
        for (ObjectStore.Listed raw : store.list(AccountRequest.rawPrefix(s.institution(), s.account(), s.day()))) {
            snapshots++;
            Instant at = AccountRequest.requestedAtOfRaw(raw.key()).orElse(null);
            firstAt = at == null || firstAt != null && firstAt.isBefore(at) ? firstAt : at;
            lastAt = at == null || lastAt != null && lastAt.isAfter(at) ? lastAt : at;
        }
        int current = 0;
        int removed = 0;
        BigDecimal credits = BigDecimal.ZERO;
        BigDecimal debits = BigDecimal.ZERO;
        for (JsonNode l : lines) {
            if (!l.path("RemovedAt").isNull() && !l.path("RemovedAt").isMissingNode()) {
                removed++;
                continue;
            }
            current++;
            BigDecimal amount = Objects.requireNonNullElse(Reconciliation.decimal(l.at("/Amount/Amount")), BigDecimal.ZERO);
            String direction = l.path("CreditDebitIndicator").asText("");
            credits = "Credit".equalsIgnoreCase(direction) ? credits.add(amount) : credits;
            debits = "Debit".equalsIgnoreCase(direction) ? debits.add(amount) : debits;
        }
        boolean closes = closes(s.requestedAt());
        Instant closedAt = closes && (base.closedAt() == null || s.requestedAt().isBefore(base.closedAt())) ? s.requestedAt()
                : base.closedAt();
        BigDecimal overnight = decimal(base.overnightGapAmount());
        BigDecimal gap = r.gapAmount() == null ? overnight : overnight == null ? r.gapAmount() : r.gapAmount().add(overnight);
        String status = overnight != null ? Reconciliation.Status.gap.name() : r.status().name();
        Instant asOf = base.asOf() == null || s.requestedAt().isAfter(base.asOf()) ? s.requestedAt() : base.asOf();
        return new DayRecord(s.institution(), s.account(), s.day(), snapshots, firstAt, lastAt, base.closed() || closes, closedAt,
                current, removed, credits.toPlainString(), debits.toPlainString(), plain(r.opening()), plain(r.closing()), status,
                plain(gap), r.gaps(), base.overnightGapAmount(), previousClosing, plain(openingGap), base.lost(), base.failed(),
                asOf, clock.instant());
    }

    /** For an answer: the day's gap, with amounts and TransactionKeys only (no account number). */
    static String describe(Reconciliation.Result r, BigDecimal openingGap) {
        List<String> parts = new ArrayList<>();
        for (Reconciliation.Gap g : r.gaps()) {
            parts.add("balance gap " + g.amount() + " between " + g.after() + " and " + g.before());
        }
        if (openingGap != null) {
            parts.add("the day opened " + openingGap.toPlainString()
                    + " away from the previous day's closing (booked after its last snapshot; recorded on that day)");
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    private static boolean same(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    private static BigDecimal decimal(String text) {
        return text == null ? null : new BigDecimal(text);
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

    private byte[] encode(DayRecord record) {
        try {
            return mapper.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private DayRecord decode(ObjectStore.Stored stored) {
        try {
            return mapper.readValue(stored.bytes(), DayRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
