package io.cartola.records;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * One request for one account's transactions of the day, and where its results go. The day is the
 * business day the request was made on, so a callback that arrives after midnight still lands in
 * the day it answers.
 */
public record AccountRequest(String institution, String account, String requestId, Instant requestedAt, LocalDate day,
        Mode mode) {

    /** The day a request made at {@code at} belongs to (whole seconds, as the callback token carries it). */
    public static LocalDate dayOf(Instant at, ZoneId zone) {
        return LocalDate.ofInstant(Instant.ofEpochSecond(at.getEpochSecond()), zone);
    }

    public String rawKey(String operationId) {
        return "raw/" + institution + "/account=" + account + "/date=" + day + "/" + operationId + ".json";
    }

    public String viewKey() {
        return "view/" + institution + "/account=" + account + "/date=" + day + "/transactions.jsonl";
    }

    public String operationKey(OperationRecord.Stage stage) {
        return operationKey(institution, day, requestId, stage);
    }

    public static String operationKey(String institution, LocalDate day, String requestId, OperationRecord.Stage stage) {
        return "operations/" + institution + "/date=" + day + "/" + requestId + "." + stage.key() + ".json";
    }

    public String maskedAccount() {
        return Accounts.mask(account);
    }
}
