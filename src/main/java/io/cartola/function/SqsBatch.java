package io.cartola.function;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import io.cartola.fetch.FetchInput;
import io.cartola.fetch.InvalidInputException;
import io.cartola.records.Accounts;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The SQS event Lambda's event source mapping sends ({@code {"Records": [{"messageId", "body",
 * "attributes": {"ApproximateReceiveCount"}, ...}]}}), only the fields cartola reads, and the partial
 * batch response it reads back ({@code ReportBatchItemFailures}): the messages to deliver again.
 */
public final class SqsBatch {

    private SqsBatch() {
    }

    static final String EXPECTED = "fetch-worker takes the SQS batch its event source mapping sends "
            + "({\"Records\": [{\"messageId\": ..., \"eventSource\": \"aws:sqs\", \"body\": ...}]}); invoke fetch to fetch accounts";

    @RegisterForReflection
    @JsonDeserialize(using = Reader.class)
    public record Event(List<Message> records) {
    }

    /**
     * Refuses whatever is not an SQS batch, naming what came: a Scheduled Event or {@code {}} would otherwise read
     * as an empty batch, and a record without {@code messageId} could not be named in a batch item failure.
     */
    @RegisterForReflection
    public static class Reader extends StdDeserializer<Event> {

        public Reader() {
            super(Event.class);
        }

        @Override
        public Event deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode event = ctxt.readTree(p);
            JsonNode records = event == null ? null : event.get("Records");
            if (records == null || !records.isArray()) {
                throw new InvalidInputException("event: " + describe(event) + " is not an SQS batch; " + EXPECTED);
            }
            List<Message> messages = new ArrayList<>(records.size());
            for (int i = 0; i < records.size(); i++) {
                JsonNode r = records.get(i);
                String source = r.path("eventSource").asText(r.path("EventSource").asText(""));
                if (!"aws:sqs".equals(source)) {
                    throw new InvalidInputException("Records[" + i + "].eventSource: expected \"aws:sqs\", got "
                            + (source.isEmpty() ? "nothing" : "\"" + Accounts.printable(source, 40) + "\"") + "; " + EXPECTED);
                }
                if (!r.path("messageId").isTextual() || r.path("messageId").asText().isBlank()) {
                    throw new InvalidInputException("Records[" + i + "].messageId: required (Lambda names the messages to "
                            + "deliver again by it); " + EXPECTED);
                }
                messages.add(ctxt.readTreeAsValue(r, Message.class));
            }
            return new Event(messages);
        }

        /** What came instead of an SQS batch, in words (never its content: it may hold anything). */
        static String describe(JsonNode event) {
            if (event == null || event.isNull()) {
                return "nothing";
            }
            if (!event.isObject()) {
                return "a JSON " + event.getNodeType().name().toLowerCase();
            }
            if (event.has("detail-type")) {
                return "an EventBridge event (\"" + Accounts.printable(event.path("detail-type").asText(), 60) + "\" from \""
                        + Accounts.printable(event.path("source").asText(), 60) + "\")";
            }
            // a batch of records never gets here: the reader names its first record's eventSource
            String other = FetchInput.Reader.recognise(event);
            if (other != null) {
                return other;
            }
            if (event.isEmpty()) {
                return "an empty object {}";
            }
            List<String> names = new ArrayList<>();
            event.fieldNames().forEachRemaining(n -> names.add("\"" + Accounts.printable(n, 30) + "\""));
            return "an object with " + String.join(", ", names.subList(0, Math.min(5, names.size())))
                    + (names.size() > 5 ? " and " + (names.size() - 5) + " more fields" : "");
        }
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
