package io.cartola.function;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.cartola.fetch.FetchWorker;
import io.cartola.queue.AccountQueue;
import io.cartola.queue.AccountTask;
import io.cartola.queue.AccountTask.InvalidTaskException;
import io.quarkus.funqy.Funq;

/**
 * Lambda entry point of the queue's event source mapping (with {@code ReportBatchItemFailures}): fetches
 * each message's account and answers which messages to deliver again. A message that is not a task is
 * one of those, with a log line naming it, so it ends in the dead-letter queue; it never fails the batch.
 */
public class FetchWorkerFunction {

    private static final Logger LOG = Logger.getLogger(FetchWorkerFunction.class);

    @Inject
    FetchWorker worker;
    @Inject
    Optional<AccountQueue> queue;

    @Funq("fetch-worker")
    public SqsBatch.Response work(SqsBatch.Event event) {
        List<SqsBatch.ItemFailure> failures = new ArrayList<>();
        List<SqsBatch.Message> valid = new ArrayList<>();
        List<AccountTask> tasks = new ArrayList<>();
        if (event == null) {
            throw new io.cartola.fetch.InvalidInputException("event: nothing is not an SQS batch; " + SqsBatch.EXPECTED);
        }
        for (SqsBatch.Message message : event.records()) {
            try {
                tasks.add(AccountTask.parse(message.body()));
                valid.add(message);
            } catch (InvalidTaskException e) {
                // it can never succeed: delivered again at once, so it reaches the dead-letter queue within seconds
                // (the queue's maxReceiveCount deliveries), not after that many visibility timeouts
                LOG.errorf("fetch-worker: message %s (delivery %d) is not an account task, sent on to the dead-letter queue: %s",
                        message.messageId(), message.receiveCount(), e.getMessage());
                failures.add(new SqsBatch.ItemFailure(message.messageId()));
                delay(message, Duration.ZERO);
            }
        }
        int invalid = failures.size();
        io.cartola.fetch.RunGauges gauges = new io.cartola.fetch.RunGauges();
        List<FetchWorker.Done> done = worker.work(tasks, gauges);
        for (int i = 0; i < done.size(); i++) {
            if (done.get(i).redeliver()) {
                SqsBatch.Message message = valid.get(i);
                failures.add(new SqsBatch.ItemFailure(message.messageId()));
                backOff(message);
            }
        }
        worker.report(done, invalid, gauges);
        return new SqsBatch.Response(failures);
    }

    /** A message put back waits longer with each delivery, instead of coming back at once to a Khipu in trouble. */
    private void backOff(SqsBatch.Message message) {
        delay(message, FetchWorker.backoff(message.receiveCount()));
    }

    private void delay(SqsBatch.Message message, Duration delay) {
        if (queue.isEmpty() || message.receiptHandle() == null) {
            return;
        }
        try {
            queue.get().retryAfter(message.receiptHandle(), delay);
        } catch (RuntimeException e) {
            // it then comes back after the queue's visibility timeout: later, not lost
            LOG.warnf("fetch-worker: could not delay message %s (%s)", message.messageId(), e.getClass().getSimpleName());
        }
    }
}
