package io.cartola.records;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What happened to one request, stored as {@code operations/.../{requestId}.{stage}.json}. Every
 * stage is its own immutable object, written once (conditionally), so records are never rewritten.
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
        Integer transactions,
        String errorCode,
        String errorType,
        String errorDescription,
        /** For WAIT_4_HOURS_BEFORE_RETRY: Khipu asked not to retry before this. */
        Instant retryNotBefore,
        String additionalInformation,
        String rawKey,
        String viewKey,
        /** The claim of a callback: SHA-256 of the body it was claimed for. */
        String bodySha256) {

    public enum State {
        REQUESTED,
        ACCEPTED,
        CALLBACK_RECEIVED,
        COMPLETED,
        FAILED,
        LOST
    }

    /** The objects a request leaves, each written once. */
    public enum Stage {
        /** fetch is about to ask Khipu asynchronously: the webhook finds the account here. */
        REQUESTED,
        /** Khipu answered 202. */
        ACCEPTED,
        /** the callback token was consumed, for one operation and one body. */
        CALLBACK,
        /** the final record, written last. */
        RESULT,
        /** no callback came by the deadline. */
        LOST;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static OperationRecord of(AccountRequest s, State state, String operationId, Instant now) {
        return new OperationRecord(s.requestId(), s.institution(), s.account(), s.mode(), state, operationId,
                s.requestedAt(), now, null, null, null, null, null, null, null, null, null, null);
    }

    OperationRecord withHttpStatus(Integer status) {
        return new OperationRecord(requestId, institution, account, mode, state, operationId, requestedAt, recordedAt,
                status, transactions, errorCode, errorType, errorDescription, retryNotBefore, additionalInformation,
                rawKey, viewKey, bodySha256);
    }

    OperationRecord withError(String code, String type, String description, Instant notBefore) {
        return new OperationRecord(requestId, institution, account, mode, state, operationId, requestedAt, recordedAt,
                httpStatus, transactions, code, type, description, notBefore, additionalInformation, rawKey, viewKey,
                bodySha256);
    }

    OperationRecord withResult(Integer count, String info, String raw, String view) {
        return new OperationRecord(requestId, institution, account, mode, state, operationId, requestedAt, recordedAt,
                httpStatus, count, errorCode, errorType, errorDescription, retryNotBefore, info, raw, view, bodySha256);
    }

    OperationRecord withBodySha256(String digest) {
        return new OperationRecord(requestId, institution, account, mode, state, operationId, requestedAt, recordedAt,
                httpStatus, transactions, errorCode, errorType, errorDescription, retryNotBefore, additionalInformation,
                rawKey, viewKey, digest);
    }

    /** The request this record belongs to. */
    public AccountRequest request(java.time.ZoneId zone) {
        return new AccountRequest(institution, account, requestId, requestedAt, AccountRequest.dayOf(requestedAt, zone), mode);
    }
}
