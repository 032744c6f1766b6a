package io.cartola.records;

import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What went wrong with one request, stored as {@code operations/.../{requestId}.{stage}.json}, written
 * once (conditionally).
 *
 * @param result what was stored (a completed or failed answer from Khipu)
 * @param error why the request failed, when it did
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperationRecord(
        String requestId,
        String institution,
        String account,
        Mode mode,
        State state,
        String operationId,
        Instant requestedAt,
        Instant recordedAt,
        Integer httpStatus,
        Result result,
        Failure error) {

    public enum State {
        FAILED,
        LOST
    }

    /**
     * The records a request may leave, each written once: only when something went wrong. An answer with
     * data is recorded by its raw bytes, the view and the account's state.
     */
    public enum Stage {
        /** the request failed: Khipu's error, or cartola's own code when there was no answer. */
        RESULT,
        /** no answer came by the deadline. */
        LOST;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What was stored of Khipu's answer. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(Integer transactions, String additionalInformation, String rawKey, String viewKey) {
    }

    /**
     * Khipu's {@code Error} (code, type, description) or cartola's own code (HTTP_401, TIMEOUT, ...).
     *
     * @param retryNotBefore for WAIT_4_HOURS_BEFORE_RETRY: Khipu asked not to retry before this
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failure(String code, String type, String description, Instant retryNotBefore) {
    }

    /** A record of {@code s} in {@code state}, with nothing more known yet. */
    static OperationRecord of(AccountRequest s, State state, String operationId, Integer httpStatus, Instant now) {
        return new OperationRecord(s.requestId(), s.institution(), s.account(), s.mode(), state, operationId,
                s.requestedAt(), now, httpStatus, null, null);
    }

    OperationRecord with(Result stored, Failure failure) {
        return new OperationRecord(requestId, institution, account, mode, state, operationId, requestedAt, recordedAt,
                httpStatus, stored, failure);
    }

    public Integer transactions() {
        return result == null ? null : result.transactions();
    }
}
