package io.cartola.records;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One request for one account's transactions of the day, and where its results go. The request id
 * is also the callback token's nonce, so the webhook finds the same keys from the token alone.
 */
public record AccountRequest(String institution, String account, String requestId, Instant requestedAt, LocalDate day,
        Mode mode) {

    public String rawKey(String operationId) {
        return "raw/" + institution + "/account=" + account + "/date=" + day + "/" + operationId + ".json";
    }

    public String viewKey() {
        return "view/" + institution + "/account=" + account + "/date=" + day + "/transactions.jsonl";
    }

    /** {@code accepted} (fetch got 202), {@code callback} (token consumed), {@code result} (final). */
    public String operationKey(String stage) {
        return "operations/" + institution + "/date=" + day + "/" + requestId + "." + stage + ".json";
    }

    public String maskedAccount() {
        return Accounts.mask(account);
    }
}
