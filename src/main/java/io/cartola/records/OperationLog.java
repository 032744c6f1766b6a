package io.cartola.records;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cartola.records.OperationRecord.Failure;
import io.cartola.records.OperationRecord.Result;
import io.cartola.records.OperationRecord.Stage;
import io.cartola.records.OperationRecord.State;
import io.cartola.khipu.model.Envelope;
import io.cartola.khipu.model.KhipuError;
import io.cartola.storage.ObjectStore;

/**
 * Writes what Khipu answered, raw first and derived second: the exact bytes, then the view, then
 * the operation's final record. The final record is written last and only once, so a redelivery
 * after a storage failure redoes the (idempotent) earlier steps and a duplicate finds it done.
 */
@ApplicationScoped
public class OperationLog {

    public static final String JSON = "application/json";
    static final Duration WAIT_4_HOURS = Duration.ofHours(4);

    private final ObjectStore store;
    private final TransactionView view;
    private final ObjectMapper mapper;
    private final Clock clock;

    public OperationLog(ObjectStore store, TransactionView view, ObjectMapper mapper, Clock clock) {
        this.store = store;
        this.view = view;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** The final record of a request, if it has one. */
    public Optional<OperationRecord> finalRecord(AccountRequest s) {
        return read(s.operationKey(Stage.RESULT));
    }

    /** Records, before asking Khipu, which account an asynchronous request is for: the callback finds it here. */
    public void requested(AccountRequest s) {
        create(s.operationKey(Stage.REQUESTED), OperationRecord.of(s, State.REQUESTED, null, null, clock.instant()));
    }

    /** The request a callback token names, as fetch recorded it. */
    public Optional<AccountRequest> request(String institution, LocalDate day, String requestId, ZoneId zone) {
        return read(AccountRequest.operationKey(institution, day, requestId, Stage.REQUESTED)).map(r -> r.request(zone));
    }

    /** Stores an envelope; returns its final record, or empty if one already existed (a duplicate). */
    public Optional<OperationRecord> store(AccountRequest s, byte[] raw, Envelope envelope, Integer httpStatus) {
        String rawKey = s.rawKey(envelope.operationId());
        // the same operation always has the same bytes: an existing raw object is this one
        store.create(rawKey, raw, JSON);
        OperationRecord record = OperationRecord.of(s, envelope.ok() ? State.COMPLETED : State.FAILED,
                envelope.operationId(), httpStatus, clock.instant());
        if (envelope.ok()) {
            String viewKey = view.merge(s, envelope.operationId(), envelope.transactions());
            record = record.with(new Result(envelope.transactions().size(), envelope.additionalInformation(), rawKey, viewKey), null);
        } else {
            KhipuError error = envelope.error() == null ? new KhipuError(null, null, null) : envelope.error();
            record = record.with(new Result(null, envelope.additionalInformation(), rawKey, null),
                    new Failure(error.code(), error.type(), error.description(), retryNotBefore(record.recordedAt(), error)));
        }
        String key = s.operationKey(Stage.RESULT);
        if (create(key, record)) {
            return Optional.of(record);
        }
        // a failure recorded without any answer from Khipu (a timeout, say) is superseded by the answer that came after all
        Optional<ObjectStore.Stored> prior = store.read(key);
        if (prior.isPresent() && decode(prior.get()).operationId() == null
                && store.replace(key, encode(record), JSON, prior.get().version())) {
            return Optional.of(record);
        }
        return Optional.empty();
    }

    /** When Khipu allows the next request after this error, received at {@code at}: four hours later for WAIT_4_HOURS. */
    static Instant retryNotBefore(Instant at, KhipuError error) {
        return KhipuError.WAIT_4_HOURS_BEFORE_RETRY.equals(error.type()) ? at.plus(WAIT_4_HOURS) : null;
    }

    /** Records a request that got no envelope to store (401, exhausted retries, ...). */
    public OperationRecord failed(AccountRequest s, String code, String description, Integer httpStatus) {
        OperationRecord record = OperationRecord.of(s, State.FAILED, null, httpStatus, clock.instant())
                .with(null, new Failure(code, null, description, null));
        create(s.operationKey(Stage.RESULT), record);
        return record;
    }

    /** Records that Khipu accepted an asynchronous request. */
    public OperationRecord accepted(AccountRequest s, String operationId) {
        OperationRecord record = OperationRecord.of(s, State.ACCEPTED, operationId, 202, clock.instant());
        create(s.operationKey(Stage.ACCEPTED), record);
        return record;
    }

    /** Records that no callback came for an accepted request by its deadline; false if already recorded. */
    public boolean lost(AccountRequest s) {
        OperationRecord record = OperationRecord.of(s, State.LOST, null, null, clock.instant())
                .with(null, new Failure("CALLBACK_LOST", null, "no callback by the deadline; the account is fetched synchronously", null));
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

    /** What consuming a callback token found. */
    public enum Claim {
        /** first use, or a redelivery of the same operation with the same body */
        OURS,
        /** the token was already used for another operation */
        OTHER_OPERATION,
        /** the token was already used for this operation with another body */
        OTHER_BODY
    }

    /** Consumes the callback token's request id for this operation and body. */
    public Claim claim(AccountRequest s, String operationId, String bodySha256) {
        String key = s.operationKey(Stage.CALLBACK);
        OperationRecord mine = OperationRecord.of(s, State.CALLBACK_RECEIVED, operationId, null, clock.instant())
                .withBodySha256(bodySha256);
        if (create(key, mine)) {
            return Claim.OURS;
        }
        OperationRecord holder = read(key).orElse(mine);
        if (!operationId.equals(holder.operationId())) {
            return Claim.OTHER_OPERATION;
        }
        return bodySha256.equals(holder.bodySha256()) ? Claim.OURS : Claim.OTHER_BODY;
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
