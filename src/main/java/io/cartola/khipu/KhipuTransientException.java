package io.cartola.khipu;

import java.time.Duration;

/** A failure worth retrying (429, 5xx, timeouts, {@code RETRY_IMMEDIATELY}); may say how long to wait. */
public class KhipuTransientException extends KhipuException {

    private final Duration retryAfter;
    private final transient KhipuReply reply;

    public KhipuTransientException(String code, String message, Duration retryAfter) {
        this(code, message, retryAfter, null);
    }

    public KhipuTransientException(String code, String message, Duration retryAfter, KhipuReply reply) {
        super(code, message);
        this.retryAfter = retryAfter;
        this.reply = reply;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** The last answer, when Khipu did answer (an envelope with {@code Status=ERROR}). */
    public KhipuReply reply() {
        return reply;
    }
}
