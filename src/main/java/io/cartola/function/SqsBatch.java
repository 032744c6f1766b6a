package io.cartola.function;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The SQS event Lambda's event source mapping sends ({@code {"Records": [{"messageId", "body",
 * "attributes": {"ApproximateReceiveCount"}, ...}]}}), only the fields cartola reads, and the partial
 * batch response it reads back ({@code ReportBatchItemFailures}): the messages to deliver again.
 */
public final class SqsBatch {

    private SqsBatch() {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Event(@JsonProperty("Records") List<Message> records) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Message(String messageId, String receiptHandle, String body, Map<String, String> attributes, String eventSource) {

        int receiveCount() {
            try {
                return attributes == null ? 1 : Integer.parseInt(attributes.getOrDefault("ApproximateReceiveCount", "1"));
            } catch (NumberFormatException e) {
                return 1;
            }
        }
    }

    @RegisterForReflection
    public record Response(List<ItemFailure> batchItemFailures) {
    }

    @RegisterForReflection
    public record ItemFailure(String itemIdentifier) {
    }
}
