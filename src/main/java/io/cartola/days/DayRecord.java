package io.cartola.days;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What cartola knows of one account's day ({@code days/{institution}/date={day}/account={account}.json}),
 * as of {@code updatedAt}: written when the day's first request is recorded, when a gap appears, changes or
 * is filled, and when the day closes (see {@link DayRecords}). Amounts are decimal strings, signed.
 *
 * @param snapshots answers stored for the day (raw/), with the first and last request times
 * @param closed a snapshot requested at or after {@code cartola.days.closed-after} (the day-end run's) was stored
 * @param transactions current lines of the view; {@code removed} those a later snapshot no longer showed
 * @param credits sum of the current credit lines; {@code debits} of the debit lines (both positive)
 * @param reconciliation {@code balanced}, {@code gap} or {@code unknown}
 * @param gapAmount the gaps' sum with the overnight one: what the balances moved that the lines do not explain
 * @param gaps where the day's chain broke (between which {@code TransactionKey}s) and by how much
 * @param overnightGapAmount the next day's opening minus this day's closing: booked after this day's last snapshot
 * @param previousClosingBalance the previous day's closing, as its record had it when this day began
 * @param openingGapAmount this day's opening minus {@code previousClosingBalance} (recorded on the previous day)
 * @param lost requests of the day whose answer never came; {@code failed} those that failed (request ids, see operations/)
 */
@RegisterForReflection
public record DayRecord(String institution, String account, LocalDate day, int snapshots, Instant firstSnapshotAt,
        Instant lastSnapshotAt, boolean closed, Instant closedAt, int transactions, int removed, String credits, String debits,
        String openingBalance, String closingBalance, String reconciliation, String gapAmount, List<Reconciliation.Gap> gaps,
        String overnightGapAmount, String previousClosingBalance, String openingGapAmount, List<String> lost,
        List<String> failed, Instant asOf, Instant updatedAt) {

    public DayRecord {
        gaps = gaps == null ? List.of() : List.copyOf(gaps);
        lost = lost == null ? List.of() : List.copyOf(lost);
        failed = failed == null ? List.of() : List.copyOf(failed);
    }

    public static String key(String institution, LocalDate day, String account) {
        return "days/" + institution + "/date=" + day + "/account=" + account + ".json";
    }

    /** A day with nothing but its place: what the first thing recorded of it starts from. */
    static DayRecord empty(String institution, String account, LocalDate day) {
        return new DayRecord(institution, account, day, 0, null, null, false, null, 0, 0, "0", "0", null, null,
                Reconciliation.Status.unknown.name(), null, List.of(), null, null, null, List.of(), List.of(), null, null);
    }

    public boolean hasGap() {
        return Reconciliation.Status.gap.name().equals(reconciliation);
    }
}
