package io.cartola.khipu.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code Error} of an envelope with {@code Status=ERROR}; {@code Type} says whether and when to retry. */
@RegisterForReflection
public record KhipuError(
        @JsonProperty("Code") String code,
        @JsonProperty("Type") String type,
        @JsonProperty("Description") String description) {

    public static final String RETRY_IMMEDIATELY = "RETRY_IMMEDIATELY";
    public static final String DO_NOT_RETRY = "DO_NOT_RETRY";
    public static final String WAIT_4_HOURS_BEFORE_RETRY = "WAIT_4_HOURS_BEFORE_RETRY";
    /** Recorded as the code of an ERROR answer that came without {@code Error.Code}: still a failure, never data. */
    public static final String NO_CODE = "NO_CODE";

    /** The code to record: Khipu's, or {@link #NO_CODE}; every answer that is not OK is a failure, with or without one. */
    public static String codeOf(KhipuError error) {
        return error == null || error.code() == null || error.code().isBlank() ? NO_CODE : error.code();
    }

    public boolean retryNow() {
        return RETRY_IMMEDIATELY.equals(type);
    }
}
