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
 * of the same message is recognised and does not ask Khipu again. With {@code recheck} (a request id)
 * the message is the delayed look at an accepted request whose callback is due.
 */
@RegisterForReflection
public record AccountTask(String account, Mode mode, boolean force, String run, String recheck) {

    public AccountTask(String account, Mode mode, boolean force, String run) {
        this(account, mode, force, run, null);
    }

    /** The delayed look at {@code requestId} of this task's account. */
    public AccountTask recheckOf(String requestId) {
        return new AccountTask(account, mode, false, run, requestId);
    }

    /** What a worker claims in the account's state: the run, or one look at one of its requests. */
    public String claimKey() {
        return recheck == null ? run : run + "/recheck/" + recheck;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public String toJson() {
        var json = JSON.createObjectNode().put("account", account).put("mode", mode.name()).put("force", force).put("run", run);
        if (recheck != null) {
            json.put("recheck", recheck);
        }
        return json.toString();
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
        String recheck = text(json, "recheck");
        if (json.has("recheck") && (recheck == null || recheck.isBlank() || recheck.length() > 64)) {
            throw new InvalidTaskException("recheck: a request id, at most 64 characters");
        }
        return new AccountTask(account, Mode.valueOf(mode), force != null && force.asBoolean(), run, recheck);
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
