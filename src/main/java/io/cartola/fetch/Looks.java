package io.cartola.fetch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.cartola.queue.AccountQueue;
import io.cartola.queue.AccountTask;
import io.cartola.records.Accounts;

/**
 * One invocation's looks at its accepted requests, sent while Khipu is asked, on one thread: whatever waits
 * goes out in one {@code SendMessageBatch}, so a batch of ten accounts asked together costs a few calls
 * to SQS (four when RequestCostTest counted them) rather than ten. {@link #close} returns once every look is sent (or reported unsent).
 */
final class Looks implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Looks.class);
    // the SDK's own timeouts end a send long before this
    private static final Duration MAX_WAIT = Duration.ofMinutes(2);

    private final AccountQueue queue;
    private final Duration delay;
    private final ExecutorService sender = Executors.newSingleThreadExecutor();
    private final List<AccountTask> waiting = new ArrayList<>();

    /**
     * Looks to be delivered just after {@code after} (the queue cuts a delay to its longest, SQS's 15 minutes: a later
     * deadline takes more hops).
     */
    Looks(AccountQueue queue, Duration after) {
        this.queue = queue;
        this.delay = after.plusSeconds(1);
    }

    void add(AccountTask look) {
        synchronized (waiting) {
            waiting.add(look);
        }
        // every add is followed by a drain: nothing added is left behind; a drain that finds nothing returns
        sender.execute(this::drain);
    }

    private void drain() {
        while (true) {
            List<AccountTask> batch;
            synchronized (waiting) {
                if (waiting.isEmpty()) {
                    return;
                }
                List<AccountTask> head = waiting.subList(0, Math.min(AccountQueue.MAX_BATCH, waiting.size()));
                batch = List.copyOf(head);
                head.clear();
            }
            send(queue, batch, delay);
        }
    }

    /** One look, sent now (not batched): a look that found its request not due yet. */
    static void sendOne(AccountQueue queue, AccountTask look, Duration after) {
        send(queue, List.of(look), after.plusSeconds(1));
    }

    private static void send(AccountQueue queue, List<AccountTask> batch, Duration delay) {
        List<AccountQueue.Unsent> unsent;
        try {
            unsent = queue.send(batch, delay);
        } catch (RuntimeException e) {
            unsent = batch.stream().map(t -> new AccountQueue.Unsent(t, e.getClass().getSimpleName())).toList();
        }
        // the next planned run still finds the request overdue: later, not lost
        unsent.forEach(u -> LOG.warnf("fetch-worker account=%s: could not schedule the look at request %s (%s); the next run will",
                Accounts.mask(u.task().account()), u.task().recheck(), u.reason()));
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("fetch-worker: looks still unsent after %s; the next run will find their requests", MAX_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sender.shutdownNow();
        }
    }
}
