package io.cartola.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Event documents exactly as AWS delivers them to a Lambda function, kept in
 * src/test/resources/events/ as AWS documents them (the Lambda and API Gateway developer guides; the
 * EventBridge Scheduler default notification as AWS's Powertools test events have it).
 */
public final class Events {

    public static final String RULE_SCHEDULED = "eventbridge-rule-scheduled.json";
    public static final String SCHEDULER_SCHEDULED = "scheduler-scheduled.json";
    public static final String S3_PUT = "s3-put.json";
    public static final String SQS_BATCH = "sqs-batch.json";
    public static final String SNS = "sns-notification.json";
    public static final String API_GATEWAY_REST = "apigateway-rest-proxy.json";
    public static final String API_GATEWAY_HTTP = "apigateway-http-v2.json";

    private Events() {
    }

    public static String load(String name) {
        try (InputStream in = Events.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no event document " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
