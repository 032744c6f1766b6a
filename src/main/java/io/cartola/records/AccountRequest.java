package io.cartola.records;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * One request for one account's transactions of the day, and where its results go. The day is the
 * business day the request was made on, so a callback that arrives after midnight still lands in
 * the day it answers.
 */
public record AccountRequest(String institution, String account, String requestId, Instant requestedAt, LocalDate day,
        Mode mode) {

    private static final DateTimeFormatter RAW_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** The day a request made at {@code at} belongs to (milliseconds, as the callback token carries it). */
    public static LocalDate dayOf(Instant at, ZoneId zone) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(at.toEpochMilli()), zone);
    }

    /**
     * Khipu's answer, as received: one per request (the request id, not Khipu's OperationId, names it),
     * after the time it was requested, so that views can be rebuilt from raw answers alone, in order.
     */
    public String rawKey() {
        return rawPrefix(institution, account, day) + RAW_TIME.format(requestedAt) + "-" + requestId + ".json";
    }

    public static String rawPrefix(String institution, String account, LocalDate day) {
        return "raw/" + institution + "/account=" + account + "/date=" + day + "/";
    }

    /** When the answer stored under {@code key} was requested, if its name says (answers stored before it did, not). */
    public static Optional<Instant> requestedAtOfRaw(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        int dash = name.indexOf('-');
        try {
            return dash < 0 ? Optional.empty() : Optional.of(RAW_TIME.parse(name.substring(0, dash), Instant::from));
        } catch (java.time.format.DateTimeParseException notATime) {
            return Optional.empty();
        }
    }

    /** The account's day in the view: one file per account in the day's folder, so a query over all accounts reads one folder. */
    public String viewKey() {
        return viewKey(institution, account, day);
    }

    public static String viewKey(String institution, String account, LocalDate day) {
        return "view/" + institution + "/date=" + day + "/account=" + account + ".jsonl";
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
