package io.cartola.queue;

import java.util.List;

/** Where a planning run puts its accounts, one message each, for the workers. */
public interface AccountQueue {

    /** The longest delay or backoff a queue takes (SQS: 15 minutes). */
    java.time.Duration MAX_DELAY = java.time.Duration.ofMinutes(15);

    /** The most tasks one {@link #send} takes (SQS's SendMessageBatch limit). */
    int MAX_BATCH = 10;

    /** Sends the tasks (at most {@link #MAX_BATCH}); returns those the queue did not take, with the reason. */
    default List<Unsent> send(List<AccountTask> tasks) {
        return send(tasks, java.time.Duration.ZERO);
    }

    /** As {@link #send(List)}, each delivered only after {@code delay} (a longer one is cut to {@link #MAX_DELAY}). */
    List<Unsent> send(List<AccountTask> tasks, java.time.Duration delay);

    /** Makes a received message visible again only after {@code delay}: a backoff before its next delivery. */
    void retryAfter(String receiptHandle, java.time.Duration delay);

    record Unsent(AccountTask task, String reason) {
    }
}
