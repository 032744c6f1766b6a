package io.cartola.khipu;

import java.util.concurrent.ThreadLocalRandom;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * Exponential backoff with full jitter that honours Khipu's {@code Retry-After} (capped), so a 429
 * is retried when Khipu asks rather than too early.
 */
public class RetryAfterBackoff implements CustomBackoffStrategy {

    static final long MAX_DELAY_MS = 30_000;

    private long initialDelay;
    private int attempt;

    @Override
    public void init(long initialDelayInMillis) {
        this.initialDelay = Math.max(1, initialDelayInMillis);
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        if (cause instanceof KhipuTransientException t && t.retryAfter() != null) {
            return Math.min(t.retryAfter().toMillis(), MAX_DELAY_MS);
        }
        long ceiling = Math.min(MAX_DELAY_MS, initialDelay << Math.min(attempt++, 16));
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }
}
