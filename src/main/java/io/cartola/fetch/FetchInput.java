package io.cartola.fetch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import io.cartola.records.Accounts;
import io.cartola.records.Mode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What to fetch: {@code {"accounts": ["000011887755"], "mode": "async"}}, both optional. The same
 * document is an EventBridge Scheduler {@code Input} and a direct invocation payload.
 */
@RegisterForReflection
@JsonDeserialize(using = FetchInput.Reader.class)
public record FetchInput(List<String> accounts, String mode) {

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
                return new FetchInput(null, null);
            }
            if (!event.isObject()) {
                throw new InvalidInputException("event: expected a JSON object like {\"accounts\": [\"000011887755\"], \"mode\": \"async\"}");
            }
            for (Iterator<String> names = event.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (!name.equals("accounts") && !name.equals("mode")) {
                    throw new InvalidInputException("event: unknown field \"" + Accounts.printable(name, 40)
                            + "\", expected only \"accounts\" and \"mode\"");
                }
            }
            return new FetchInput(accounts(event.get("accounts")), mode(event.get("mode")));
        }

        private static List<String> accounts(JsonNode node) {
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
    }
}
