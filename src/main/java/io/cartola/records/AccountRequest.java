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

    /** The day a request made at {@code at} belongs to (milliseconds, as the callback token carries it). */
    public static LocalDate dayOf(Instant at, ZoneId zone) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(at.toEpochMilli()), zone);
    }

    /** Khipu's answer, as received: one per request (the request id, not Khipu's OperationId, names it). */
    public String rawKey() {
        return "raw/" + institution + "/account=" + account + "/date=" + day + "/" + requestId + ".json";
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
