package io.cartola.queue;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cartola.records.Accounts;
import io.cartola.records.Mode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One account of one planned run, as a queue message: {@code {"account": "...", "mode": "async",
 * "force": false, "run": "..."}}. {@code run} names the planning invocation, so that a second delivery
 * of the same message is recognised and does not ask Khipu again.
 */
@RegisterForReflection
public record AccountTask(String account, Mode mode, boolean force, String run) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String toJson() {
        return JSON.createObjectNode().put("account", account).put("mode", mode.name()).put("force", force).put("run", run)
                .toString();
    }

    /** Reads a message body; a body that is not a task is refused naming the field (it ends in the dead-letter queue). */
    public static AccountTask parse(String body) {
        JsonNode json;
        try {
            json = body == null ? null : JSON.readTree(body);
        } catch (IOException e) {
            throw new InvalidTaskException("body: not JSON, expected {\"account\": ..., \"mode\": ..., \"run\": ...}");
        }
        if (json == null || !json.isObject()) {
            throw new InvalidTaskException("body: expected a JSON object {\"account\": ..., \"mode\": ..., \"run\": ...}");
        }
        String account = text(json, "account");
        String problem = Accounts.problem(account);
        if (problem != null) {
            throw new InvalidTaskException("account: " + problem);
        }
        String mode = text(json, "mode");
        if (!"async".equals(mode) && !"sync".equals(mode)) {
            throw new InvalidTaskException("mode: must be \"async\" or \"sync\"");
        }
        String run = text(json, "run");
        if (run == null || run.isBlank() || run.length() > 100) {
            throw new InvalidTaskException("run: required, at most 100 characters");
        }
        JsonNode force = json.get("force");
        if (force != null && !force.isBoolean()) {
            throw new InvalidTaskException("force: must be true or false");
        }
        return new AccountTask(account, Mode.valueOf(mode), force != null && force.asBoolean(), run);
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    /** A message body that is not an {@link AccountTask}. */
    public static class InvalidTaskException extends IllegalArgumentException {
        public InvalidTaskException(String message) {
            super(message);
        }
    }
}
