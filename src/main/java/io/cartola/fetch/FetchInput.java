package io.cartola.fetch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import io.cartola.records.Accounts;
import io.cartola.records.Mode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What to fetch, read from whichever event started fetch:
 * <ul>
 * <li>the "Scheduled Event" an EventBridge rule ({@code source: aws.events}, {@code detail: {}}) or an
 * EventBridge Scheduler schedule ({@code source: aws.scheduler}, {@code detail: "{}"}) sends when it
 * has no Input: the configured accounts, asynchronously;</li>
 * <li>the document {@code {"accounts": ["000011887755"], "mode": "async", "force": false}}, every field
 * optional: a rule's or a schedule's constant Input, or a direct invocation.</li>
 * </ul>
 * Anything else is refused, naming what was received and what is accepted.
 *
 * @param force ask Khipu even for accounts it told to wait ({@code WAIT_4_HOURS_BEFORE_RETRY})
 * @param trigger what sent the event, for the logs
 */
@RegisterForReflection
@JsonDeserialize(using = FetchInput.Reader.class)
public record FetchInput(List<String> accounts, String mode, boolean force, String trigger) {

    static final String ACCEPTED_SHAPES = "fetch accepts an EventBridge \"Scheduled Event\" (a rule or a Scheduler schedule"
            + " without Input) or a document like {\"accounts\": [\"000011887755\"], \"mode\": \"async\", \"force\": false}"
            + " (every field optional: a schedule's Input or a direct invocation)";
    private static final Set<String> FIELDS = Set.of("accounts", "mode", "force");
    private static final Set<String> SCHEDULE_SOURCES = Set.of("aws.events", "aws.scheduler");

    public FetchInput(List<String> accounts, String mode) {
        this(accounts, mode, false, "direct");
    }

    static Mode mode(String value) {
        if (value == null || value.isEmpty()) {
            return Mode.async;
        }
        for (Mode mode : Mode.values()) {
            if (mode.name().equals(value)) {
                return mode;
            }
        }
        throw new InvalidInputException("mode: must be \"async\" or \"sync\", got \"" + Accounts.printable(value, 20) + "\"");
    }

    /**
     * Strict on purpose: Lambda's mapper ignores unknown fields, but a typo in a schedule
     * ({@code "acounts"}) must fail loudly, not silently fetch the default accounts.
     */
    public static class Reader extends StdDeserializer<FetchInput> {

        public Reader() {
            super(FetchInput.class);
        }

        @Override
        public FetchInput deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode event = ctxt.readTree(p);
            if (event == null || event.isNull()) {
                return new FetchInput(null, null, false, "direct");
            }
            if (!event.isObject()) {
                throw new InvalidInputException("event: a JSON " + event.getNodeType().name().toLowerCase() + "; " + ACCEPTED_SHAPES);
            }
            if (event.has("detail-type") || event.has("source") && event.has("detail")) {
                return scheduled(event);
            }
            String other = recognise(event);
            if (other != null) {
                throw new InvalidInputException("event: " + other + " is not a fetch trigger; " + ACCEPTED_SHAPES);
            }
            onlyFields(event, FIELDS, ", expected only \"accounts\", \"mode\" and \"force\"; " + ACCEPTED_SHAPES);
            return new FetchInput(accounts(event.get("accounts")), mode(event.get("mode")), force(event.get("force")), "direct");
        }

        /** Refuses a document with a field not in {@code fields}, naming it; {@code rule} ends the message. */
        public static void onlyFields(JsonNode event, Set<String> fields, String rule) {
            for (Iterator<String> names = event.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (!fields.contains(name)) {
                    throw new InvalidInputException("event: unknown field \"" + Accounts.printable(name, 40) + "\"" + rule);
                }
            }
        }

        private static FetchInput scheduled(JsonNode event) {
            String type = event.path("detail-type").asText("");
            String source = event.path("source").asText("");
            if (!"Scheduled Event".equals(type) || !SCHEDULE_SOURCES.contains(source)) {
                throw new InvalidInputException("event: an EventBridge event of type \"" + Accounts.printable(type, 60)
                        + "\" from \"" + Accounts.printable(source, 60) + "\" is not a fetch trigger; " + ACCEPTED_SHAPES);
            }
            return new FetchInput(null, null, false, source.equals("aws.scheduler") ? "EventBridge Scheduler" : "EventBridge rule");
        }

        /** Names the AWS event a function was wired to by mistake, or null. */
        public static String recognise(JsonNode event) {
            JsonNode records = event.get("Records");
            if (records != null && records.isArray()) {
                JsonNode first = records.path(0);
                String source = first.has("eventSource") ? first.path("eventSource").asText() : first.path("EventSource").asText();
                return switch (source) {
                    case "aws:s3" -> "an S3 event notification";
                    case "aws:sqs" -> "an SQS message batch";
                    case "aws:sns" -> "an SNS notification";
                    default -> "a batch of records" + (source.isEmpty() ? "" : " from " + Accounts.printable(source, 40));
                };
            }
            if (event.has("httpMethod") || event.has("routeKey") || event.has("requestContext")) {
                return "an HTTP request (API Gateway or a Function URL)";
            }
            return null;
        }

        /** {@code accounts}: absent, or an array of strings (each checked later, by the account rules). */
        public static List<String> accounts(JsonNode node) {
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isArray()) {
                throw new InvalidInputException("accounts: must be an array of account numbers");
            }
            List<String> accounts = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                JsonNode account = node.get(i);
                if (!account.isTextual()) {
                    throw new InvalidInputException("accounts[" + i + "]: must be a string");
                }
                accounts.add(account.asText());
            }
            return accounts;
        }

        private static String mode(JsonNode node) {
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isTextual()) {
                throw new InvalidInputException("mode: must be the string \"async\" or \"sync\"");
            }
            return node.asText();
        }

        private static boolean force(JsonNode node) {
            if (node == null || node.isNull()) {
                return false;
            }
            if (!node.isBoolean()) {
                throw new InvalidInputException("force: must be true or false");
            }
            return node.asBoolean();
        }
    }
}
