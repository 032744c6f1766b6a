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
        String viewKey) {

    public enum State {
        ACCEPTED,
        CALLBACK_RECEIVED,
        COMPLETED,
        FAILED
    }

    static OperationRecord of(AccountRequest s, State state, String operationId, Instant now) {
        return new OperationRecord(s.requestId(), s.institution(), s.account(), s.mode(), state, operationId,
                s.requestedAt(), now, null, null, null, null, null, null, null, null, null);
    }

    OperationRecord withHttpStatus(Integer status) {
        return new OperationRecord(requestId, institution, account, mode, state, operationId, requestedAt, recordedAt,
                status, transactions, errorCode, errorType, errorDescription, retryNotBefore, additionalInformation,
                rawKey, viewKey);
    }

    OperationRecord withError(String code, String type, String description, Instant notBefore) {
        return new OperationRecord(requestId, institution, account, mode, state, operationId, requestedAt, recordedAt,
                httpStatus, transactions, code, type, description, notBefore, additionalInformation, rawKey, viewKey);
    }

    OperationRecord withResult(Integer count, String info, String raw, String view) {
        return new OperationRecord(requestId, institution, account, mode, state, operationId, requestedAt, recordedAt,
                httpStatus, count, errorCode, errorType, errorDescription, retryNotBefore, info, raw, view);
    }
}
