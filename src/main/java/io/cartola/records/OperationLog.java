package io.cartola.records;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

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

    static final String JSON = "application/json";
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
        return read(s.operationKey("result"));
    }

    /** Stores an envelope; returns its final record, or empty if one already existed (a duplicate). */
    public Optional<OperationRecord> store(AccountRequest s, byte[] raw, Envelope envelope, Integer httpStatus) {
        String rawKey = s.rawKey(envelope.operationId());
        // the same operation always has the same bytes: an existing raw object is this one
        store.create(rawKey, raw, JSON);
        OperationRecord record = OperationRecord.of(s, envelope.ok() ? State.COMPLETED : State.FAILED,
                envelope.operationId(), clock.instant()).withHttpStatus(httpStatus);
        if (envelope.ok()) {
            String viewKey = view.merge(s, envelope.operationId(), envelope.transactions());
            record = record.withResult(envelope.transactions().size(), envelope.additionalInformation(), rawKey, viewKey);
        } else {
            KhipuError error = envelope.error() == null ? new KhipuError(null, null, null) : envelope.error();
            record = record.withResult(null, envelope.additionalInformation(), rawKey, null)
                    .withError(error.code(), error.type(), error.description(),
                            KhipuError.WAIT_4_HOURS_BEFORE_RETRY.equals(error.type()) ? s.requestedAt().plus(WAIT_4_HOURS) : null);
        }
        return create(s.operationKey("result"), record) ? Optional.of(record) : Optional.empty();
    }

    /** Records a request that got no envelope to store (401, exhausted retries, ...). */
    public OperationRecord failed(AccountRequest s, String code, String description, Integer httpStatus) {
        OperationRecord record = OperationRecord.of(s, State.FAILED, null, clock.instant())
                .withHttpStatus(httpStatus).withError(code, null, description, null);
        create(s.operationKey("result"), record);
        return record;
    }

    /** Records that Khipu accepted an asynchronous request. */
    public OperationRecord accepted(AccountRequest s, String operationId) {
        OperationRecord record = OperationRecord.of(s, State.ACCEPTED, operationId, clock.instant()).withHttpStatus(202);
        create(s.operationKey("accepted"), record);
        return record;
    }

    /**
     * Consumes the callback token's nonce for this operation. Returns the operation id that holds it:
     * this one (first use, or a redelivery) or another one (a replayed token).
     */
    public String claim(AccountRequest s, String operationId) {
        String key = s.operationKey("callback");
        if (create(key, OperationRecord.of(s, State.CALLBACK_RECEIVED, operationId, clock.instant()))) {
            return operationId;
        }
        return read(key).map(OperationRecord::operationId).orElse(operationId);
    }

    private boolean create(String key, OperationRecord record) {
        try {
            return store.create(key, mapper.writeValueAsBytes(record), JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<OperationRecord> read(String key) {
        return store.read(key).map(stored -> {
            try {
                return mapper.readValue(stored.bytes(), OperationRecord.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
