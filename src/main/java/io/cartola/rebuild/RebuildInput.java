package io.cartola.rebuild;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import io.cartola.fetch.InvalidInputException;
import io.cartola.records.Accounts;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Which views to rebuild from the raw answers: {@code {"from": "2026-11-01", "to": "2026-11-30",
 * "accounts": ["000011887755"], "after": "3f9a..."}}. {@code to} defaults to {@code from}; without
 * {@code accounts}, every account with raw answers; {@code after} continues a run that stopped (the
 * answer of a run that ran out of time gives it: an opaque cursor, so no account number is in it).
 * Strict: an unknown field fails, naming it.
 */
@RegisterForReflection
@JsonDeserialize(using = RebuildInput.Reader.class)
public record RebuildInput(LocalDate from, LocalDate to, List<String> accounts, String after) {

    /** A year and a day: a rebuild of more is split by date. */
    static final int MAX_DAYS = 366;
    private static final Set<String> FIELDS = Set.of("from", "to", "accounts", "after");
    static final String SHAPE = "rebuild takes {\"from\": \"2026-11-01\", \"to\": \"2026-11-30\", \"accounts\": [\"000011887755\"],"
            + " \"after\": \"<cursor from a run that stopped>\"} (from required; to, accounts and after optional)";

    public RebuildInput {
        if (from == null) {
            throw new InvalidInputException("from: required, a date like 2026-11-01; " + SHAPE);
        }
        to = to == null ? from : to;
        if (to.isBefore(from)) {
            throw new InvalidInputException("to: " + to + " is before from " + from);
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw new InvalidInputException("to: at most " + MAX_DAYS + " days from from; split the rebuild by date");
        }
        if (accounts != null) {
            TreeSet<String> sorted = new TreeSet<>();
            for (int i = 0; i < accounts.size(); i++) {
                String problem = Accounts.problem(accounts.get(i));
                if (problem != null) {
                    throw new InvalidInputException("accounts[" + i + "]: " + problem);
                }
                sorted.add(accounts.get(i));
            }
            accounts = List.copyOf(sorted);
        }
        if (after != null && !after.matches("[0-9a-f]{16}")) {
            throw new InvalidInputException("after: must be the cursor a run that stopped answered (16 hex digits)");
        }
    }

    public static class Reader extends StdDeserializer<RebuildInput> {

        public Reader() {
            super(RebuildInput.class);
        }

        @Override
        public RebuildInput deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode event = ctxt.readTree(p);
            if (event == null || !event.isObject()) {
                throw new InvalidInputException("event: not a JSON object; " + SHAPE);
            }
            io.cartola.fetch.FetchInput.Reader.onlyFields(event, FIELDS, "; " + SHAPE);
            return new RebuildInput(date(event, "from"), date(event, "to"), io.cartola.fetch.FetchInput.Reader.accounts(event.get("accounts")), text(event, "after"));
        }

        private static LocalDate date(JsonNode event, String field) {
            String text = text(event, field);
            try {
                return text == null ? null : LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                throw new InvalidInputException(field + ": must be a date like 2026-11-01, got \"" + Accounts.printable(text, 20) + "\"");
            }
        }

        private static String text(JsonNode event, String field) {
            JsonNode node = event.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isTextual()) {
                throw new InvalidInputException(field + ": must be a string");
            }
            return node.asText();
        }
    }
}
