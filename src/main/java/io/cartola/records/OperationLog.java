package io.cartola.records;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cartola.days.DayRecords;
import io.cartola.records.OperationRecord.Failure;
import io.cartola.records.OperationRecord.Result;
import io.cartola.records.OperationRecord.Stage;
import io.cartola.records.OperationRecord.State;
import io.cartola.khipu.model.Envelope;
import io.cartola.khipu.model.KhipuError;
import io.cartola.storage.ObjectStore;
import io.cartola.storage.StorageException;

/**
 * Writes what Khipu answered: the exact bytes first, under the request's id and only once (that write
 * also consumes the callback token: a second answer to the same request is a duplicate or refused),
 * then the view, and for an error a record of it. Nothing else is written on the way of an answer with
 * data, so an account costs three writes a run (its state, raw, view); a redelivery, or the next run
 * settling the request, redoes the idempotent view merge and finishes what a failed attempt left undone.
 */
@ApplicationScoped
public class OperationLog {

    public static final String JSON = "application/json";
    static final Duration WAIT_4_HOURS = Duration.ofHours(4);

    private final ObjectStore store;
    private final TransactionView view;
    private final ObjectMapper mapper;
    private final Clock clock;

    private final DayRecords days;

    @jakarta.inject.Inject
    public OperationLog(ObjectStore store, TransactionView view, ObjectMapper mapper, Clock clock, DayRecords days) {
        this.store = store;
        this.view = view;
        this.mapper = mapper;
        this.clock = clock;
        this.days = days;
    }

    /** Without day records (benchmarks, view-only tests). */
    public OperationLog(ObjectStore store, TransactionView view, ObjectMapper mapper, Clock clock) {
        this(store, view, mapper, clock, null);
    }

    /** How an answer compared with what was stored for its request before. */
    public enum Kept {
        /** the first answer to this request */
        FIRST,
        /** the same bytes again: a redelivery (whatever the first attempt left undone is done now) */
        AGAIN,
        /** an answer for another operation was stored for this request: the token was used already */
        OTHER_OPERATION,
        /** the same operation with other bytes */
        OTHER_BODY
    }

    /**
     * What {@link #store} did.
     *
     * @param changed whether anything was written beyond the raw bytes (view lines, the error's record)
     * @param error Khipu's error, for an answer with {@code Status=ERROR}
     * @param changes what the answer changed in the day's view
     */
    public record Stored(Kept kept, boolean changed, int transactions, Failure error, TransactionView.Changes changes) {
        Stored(Kept kept, boolean changed, int transactions, Failure error) {
            this(kept, changed, transactions, error, TransactionView.Changes.NONE);
        }

        public boolean refused() {
            return kept == Kept.OTHER_OPERATION || kept == Kept.OTHER_BODY;
        }
    }

    /** Stores an answer to {@code s}: raw once, then the view, or the error's record. */
    public Stored store(AccountRequest s, byte[] raw, Envelope envelope, Integer httpStatus) {
        String rawKey = s.rawKey();
        Kept kept = Kept.FIRST;
        if (!store.create(rawKey, raw, JSON)) {
            byte[] first = store.read(rawKey).orElseThrow(() -> new StorageException("raw answer " + rawKey
                    + " exists but could not be read", null)).bytes();
            if (!Arrays.equals(first, raw)) {
                return new Stored(envelope.operationId().equals(operationIdOf(first)) ? Kept.OTHER_BODY : Kept.OTHER_OPERATION,
                        false, 0, null);
            }
            kept = Kept.AGAIN;
        }
        return derive(s, raw, envelope, httpStatus, kept);
    }

    /** Finishes an answer found stored for {@code s}: the view, or the error's record (nothing is written when they are there). */
    public Stored finish(AccountRequest s, byte[] raw, Envelope envelope) {
        return derive(s, raw, envelope, null, Kept.AGAIN);
    }

    private Stored derive(AccountRequest s, byte[] raw, Envelope envelope, Integer httpStatus, Kept kept) {
        String rawKey = s.rawKey();
        if (envelope.ok()) {
            TransactionView.Changes changes = view.merge(s, raw, envelope).changes();
            if (days != null) {
                DayRecords.Outcome day = days.snapshot(s);
                changes = changes.withDay(day.balanceGaps(), day.daysUnclosed(), day.gap());
            }
            return new Stored(kept, changes.modified() || kept == Kept.FIRST, envelope.transactions().size(), null, changes);
        }
        KhipuError error = envelope.error() == null ? new KhipuError(null, null, null) : envelope.error();
        OperationRecord record = OperationRecord.of(s, State.FAILED, envelope.operationId(), httpStatus, clock.instant())
                .with(new Result(null, envelope.additionalInformation(), rawKey, null), null);
        record = record.with(record.result(), new Failure(KhipuError.codeOf(error), error.type(), error.description(),
                retryNotBefore(record.recordedAt(), error)));
        String key = s.operationKey(Stage.RESULT);
        if (days != null) {
            days.request(s, false);
        }
        if (create(key, record)) {
            return new Stored(kept, true, 0, record.error());
        }
        Optional<ObjectStore.Stored> prior = store.read(key);
        OperationRecord before = prior.map(this::decode).orElse(record);
        // a failure recorded without any answer from Khipu (a timeout, say) is superseded by the answer that came after all
        if (prior.isPresent() && before.operationId() == null
                && store.replace(key, encode(record), JSON, prior.get().version())) {
            return new Stored(kept, true, 0, record.error());
        }
        return new Stored(kept, false, 0, before.error() != null ? before.error() : record.error());
    }

    /** The bytes stored as the answer to {@code s}, if one was. */
    public Optional<byte[]> answer(AccountRequest s) {
        return store.read(s.rawKey()).map(ObjectStore.Stored::bytes);
    }

    private String operationIdOf(byte[] raw) {
        try {
            return mapper.readTree(raw).path("OperationId").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** When Khipu allows the next request after this error, received at {@code at}: four hours later for WAIT_4_HOURS. */
    static Instant retryNotBefore(Instant at, KhipuError error) {
        return KhipuError.WAIT_4_HOURS_BEFORE_RETRY.equals(error.type()) ? at.plus(WAIT_4_HOURS) : null;
    }

    /** Records a request that got no envelope to store (401, exhausted retries, ...). */
    public OperationRecord failed(AccountRequest s, String code, String description, Integer httpStatus) {
        OperationRecord record = OperationRecord.of(s, State.FAILED, null, httpStatus, clock.instant())
                .with(null, new Failure(code, null, description, null));
        if (days != null) {
            days.request(s, false);
        }
        create(s.operationKey(Stage.RESULT), record);
        return record;
    }

    /** Records that no answer came for a request by its deadline; false if already recorded. */
    public boolean lost(AccountRequest s) {
        OperationRecord record = OperationRecord.of(s, State.LOST, null, null, clock.instant())
                .with(null, new Failure("CALLBACK_LOST", null, s.mode() == io.cartola.records.Mode.async
                        ? "no callback by the deadline; the account is fetched synchronously"
                        : "no answer stored by the deadline (the fetch stopped half-way); the account is fetched again", null));
        if (days != null) {
            days.request(s, true);
        }
        return create(s.operationKey(Stage.LOST), record);
    }

    /** Accounts a planning run could not queue, and why: one object per run, so they can be asked again in one invocation. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Unqueued(String run, Instant recordedAt, List<Entry> accounts) {
        @io.quarkus.runtime.annotations.RegisterForReflection
        public record Entry(String account, String reason) {
        }
    }

    /** Records the accounts a planning run could not queue; returns the key written. */
    public String unqueued(String institution, LocalDate day, String run, List<Unqueued.Entry> accounts) {
        Instant now = clock.instant();
        String key = "operations/" + institution + "/date=" + day + "/run="
                + run.substring(run.indexOf('/') + 1) + ".unqueued.json";
        store.create(key, encodeAny(new Unqueued(run, now, accounts)), JSON);
        return key;
    }

    private boolean create(String key, OperationRecord record) {
        return store.create(key, encode(record), JSON);
    }

    private Optional<OperationRecord> read(String key) {
        return store.read(key).map(this::decode);
    }

    private byte[] encode(OperationRecord record) {
        return encodeAny(record);
    }

    private byte[] encodeAny(Object record) {
        try {
            return mapper.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private OperationRecord decode(ObjectStore.Stored stored) {
        try {
            return mapper.readValue(stored.bytes(), OperationRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
