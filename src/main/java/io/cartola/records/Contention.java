package io.cartola.records;

import java.util.concurrent.ThreadLocalRandom;

import io.cartola.storage.StorageException;

/**
 * Read-merge-write against a conditional store: when another writer won, wait a random time that
 * grows with each attempt (exponential backoff, full jitter) and try again, so that writers racing
 * for one object spread out instead of colliding again at once.
 */
public final class Contention {

    static final int MAX_ATTEMPTS = 12;
    private static final long BASE_MS = 10;
    private static final long CAP_MS = 1_000;

    private Contention() {
    }

    /** One attempt: true when its conditional write went through (or nothing needed writing). */
    @FunctionalInterface
    public interface Attempt {
        boolean run();
    }

    public static void retry(String what, Attempt attempt) {
        for (int i = 0; i < MAX_ATTEMPTS; i++) {
            if (attempt.run()) {
                return;
            }
            pause(i);
        }
        throw new StorageException(what + " kept changing under " + MAX_ATTEMPTS + " attempts to update it", null);
    }

    private static void pause(int attempt) {
        long ceiling = Math.min(CAP_MS, BASE_MS << Math.min(attempt, 16));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while updating " + "an object", e);
        }
    }
}
