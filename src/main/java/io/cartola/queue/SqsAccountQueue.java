package io.cartola.queue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** An SQS queue: {@code SendMessageBatch}, ten messages a call; an entry SQS refuses is reported, not retried here. */
public class SqsAccountQueue implements AccountQueue {

    private final SqsClient sqs;
    private final String url;

    public SqsAccountQueue(SqsClient sqs, URI url) {
        this.sqs = sqs;
        this.url = url.toString();
    }

    @Override
    public List<Unsent> send(List<AccountTask> tasks, Duration delay) {
        if (tasks.size() > MAX_BATCH) {
            throw new IllegalArgumentException("at most " + MAX_BATCH + " tasks per batch");
        }
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(String.valueOf(i)).messageBody(tasks.get(i).toJson())
                    .delaySeconds(delay.isZero() ? null : seconds(delay)).build());
        }
        List<Unsent> unsent = new ArrayList<>();
        try {
            SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
            for (BatchResultErrorEntry failed : response.failed()) {
                unsent.add(new Unsent(tasks.get(Integer.parseInt(failed.id())), "SQS refused the message: " + failed.code()));
            }
        } catch (SdkException e) {
            String reason = "SQS unreachable or refused the batch: " + e.getClass().getSimpleName();
            tasks.forEach(t -> unsent.add(new Unsent(t, reason)));
        }
        return unsent;
    }

    @Override
    public void retryAfter(String receiptHandle, Duration delay) {
        sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(receiptHandle).visibilityTimeout(seconds(delay)));
    }

    private static int seconds(Duration delay) {
        return (int) Math.max(0, Math.min(delay.toSeconds(), AccountQueue.MAX_DELAY.toSeconds()));
    }
}
