package io.cartola.days;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whether an account's day adds up: the bank's running balances against the transactions held.
 * <p>
 * In Khipu's model (UK Open Banking, {@code OBTransaction6}) a transaction's {@code Balance} is the
 * account's balance after it was applied, of a type {@code OBBalanceType1Code}. Only the <em>booked</em>
 * balances move by exactly the booked entries ({@code InterimBooked} during the day, {@code ClosingBooked}
 * at its end; ISO 20022: opening booked plus all entries booked), so only they form the chain. Available
 * balances ({@code InterimAvailable}, {@code ClosingAvailable}, {@code ForwardAvailable},
 * {@code OpeningAvailable}) move with holds and credit lines, cleared ones ({@code ...Cleared}) with the
 * clearing of cheques, {@code Expected} and {@code Information} are forecasts or notes, and
 * {@code OpeningBooked}/{@code PreviouslyClosedBooked} are balances before the period, not after an entry:
 * none of them is checked. Pending transactions are not booked, so they are neither in the chain nor
 * counted in it (their balance, if any, is ignored).
 * <p>
 * Booked lines are ordered by {@code BookingDateTime}, then {@code ValueDateTime}, then their order in the
 * view (the order snapshots first showed them). Each chain balance must equal the previous one plus the
 * signed amounts since ({@code Credit} +, {@code Debit} -; a balance's own {@code CreditDebitIndicator}
 * gives its sign, {@code Debit} being overdrawn). Lines with the same times may have been applied in any
 * order: if some order of them keeps the chain, it holds (a depth-first search that tries only orders
 * where each balance fits, at most {@link #SEARCH_STEPS} steps a day; past that, view order).
 * Fewer than two chain balances, mixed currencies or a booked line without amount give {@code unknown}:
 * never a false gap.
 */
public final class Reconciliation {

    public static final Set<String> CHAIN_TYPES = Set.of("InterimBooked", "ClosingBooked");
    static final int SEARCH_STEPS = 100_000;

    public enum Status {
        balanced,
        gap,
        unknown
    }

    /** Where the chain broke: between the line whose balance was last right and the first one that was not. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Gap(String after, String before, String amount) {
    }

    /** The day's reconciliation; {@code gapAmount} is the sum of the gaps, signed (what the balances moved beyond the lines). */
    public record Result(Status status, BigDecimal opening, BigDecimal closing, BigDecimal gapAmount, List<Gap> gaps,
            int checks, String reason) {
    }

    /** One booked line, signed; {@code balance} null when it carries no chain balance. */
    record Line(String key, BigDecimal amount, BigDecimal balance, Instant booked, Instant valued, int order) {
    }

    private Reconciliation() {
    }

    /** Reconciles the current lines of one day (view lines, in view order; removed lines are skipped). */
    public static Result of(List<? extends JsonNode> lines) {
        List<Line> booked = new ArrayList<>();
        Set<String> currencies = new HashSet<>();
        int order = 0;
        for (JsonNode l : lines) {
            order++;
            if (!l.path("RemovedAt").isNull() && !l.path("RemovedAt").isMissingNode()
                    || !"booked".equalsIgnoreCase(l.path("Status").asText(""))) {
                continue;
            }
            BigDecimal amount = signed(l.path("CreditDebitIndicator").asText(null), decimal(l.at("/Amount/Amount")));
            if (amount == null) {
                return unknown("a booked transaction without amount or CreditDebitIndicator");
            }
            currencies.add(l.at("/Amount/Currency").asText(""));
            JsonNode b = l.path("Balance");
            BigDecimal balance = null;
            if (CHAIN_TYPES.contains(b.path("Type").asText(""))) {
                balance = signed(b.path("CreditDebitIndicator").asText(null), decimal(b.at("/Amount/Amount")));
                if (balance != null) {
                    currencies.add(b.at("/Amount/Currency").asText(""));
                }
            }
            booked.add(new Line(l.path("TransactionKey").asText(""), amount, balance, time(l.path("BookingDateTime")),
                    time(l.path("ValueDateTime")), order));
        }
        if (currencies.size() > 1) {
            return unknown("amounts in more than one currency");
        }
        return chain(booked);
    }

    static Result chain(List<Line> booked) {
        Comparator<Instant> nullsLast = Comparator.nullsLast(Comparator.naturalOrder());
        List<Line> sorted = new ArrayList<>(booked);
        sorted.sort(Comparator.comparing(Line::booked, nullsLast).thenComparing(Line::valued, nullsLast)
                .thenComparingInt(Line::order));
        Walk walk = new Walk();
        int[] budget = { SEARCH_STEPS };
        for (int i = 0; i < sorted.size();) {
            int j = i + 1;
            while (j < sorted.size() && sameTime(sorted.get(i), sorted.get(j))) {
                j++;
            }
            List<Line> group = sorted.subList(i, j);
            List<Line> holding = group.size() > 1 ? holdingOrder(group, walk.running, budget) : null;
            for (Line l : holding != null ? holding : group) {
                walk.apply(l);
            }
            i = j;
        }
        if (walk.checks == 0) {
            return new Result(Status.unknown, walk.opening, walk.running, null, List.of(), 0,
                    walk.running == null ? "no booked balance" : "one booked balance: nothing to check it against");
        }
        BigDecimal gap = walk.gaps.stream().map(g -> new BigDecimal(g.amount())).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new Result(walk.gaps.isEmpty() ? Status.balanced : Status.gap, walk.opening, walk.running,
                walk.gaps.isEmpty() ? null : gap, List.copyOf(walk.gaps), walk.checks, null);
    }

    /** The day's lines in chain order so far: the running balance, the opening, and the breaks. */
    private static final class Walk {
        BigDecimal running;
        BigDecimal before = BigDecimal.ZERO;
        BigDecimal opening;
        String anchor;
        int checks;
        final List<Gap> gaps = new ArrayList<>();

        void apply(Line l) {
            if (running == null) {
                if (l.balance() == null) {
                    before = before.add(l.amount());
                    return;
                }
                opening = l.balance().subtract(before.add(l.amount()));
                running = l.balance();
                anchor = l.key();
                return;
            }
            BigDecimal expected = running.add(l.amount());
            if (l.balance() == null) {
                running = expected;
                return;
            }
            checks++;
            if (l.balance().compareTo(expected) != 0) {
                gaps.add(new Gap(anchor, l.key(), l.balance().subtract(expected).toPlainString()));
            }
            running = l.balance();
            anchor = l.key();
        }
    }

    /** An order of tied lines under which every balance fits, or null (none, or the search ran out of steps). */
    static List<Line> holdingOrder(List<Line> group, BigDecimal running, int[] budget) {
        List<Line> order = new ArrayList<>(group.size());
        return find(new ArrayList<>(group), running, order, budget) ? order : null;
    }

    private static boolean find(List<Line> remaining, BigDecimal running, List<Line> order, int[] budget) {
        if (remaining.isEmpty()) {
            return true;
        }
        for (int i = 0; i < remaining.size(); i++) {
            if (--budget[0] < 0) {
                return false;
            }
            Line l = remaining.get(i);
            BigDecimal next;
            if (l.balance() == null) {
                next = running == null ? null : running.add(l.amount());
            } else if (running == null || l.balance().compareTo(running.add(l.amount())) == 0) {
                next = l.balance();
            } else {
                continue;
            }
            remaining.remove(i);
            order.add(l);
            if (find(remaining, next, order, budget)) {
                return true;
            }
            order.remove(order.size() - 1);
            remaining.add(i, l);
        }
        return false;
    }

    /** The overnight gap: what the day's opening has that the previous day's closing does not explain; null when either is unknown. */
    public static BigDecimal overnight(BigDecimal previousClosing, BigDecimal opening) {
        if (previousClosing == null || opening == null || previousClosing.compareTo(opening) == 0) {
            return null;
        }
        return opening.subtract(previousClosing);
    }

    private static boolean sameTime(Line a, Line b) {
        return java.util.Objects.equals(a.booked(), b.booked()) && java.util.Objects.equals(a.valued(), b.valued());
    }

    private static Result unknown(String reason) {
        return new Result(Status.unknown, null, null, null, List.of(), 0, reason);
    }

    static BigDecimal signed(String indicator, BigDecimal amount) {
        if (amount == null || indicator == null) {
            return null;
        }
        return switch (indicator.toLowerCase(Locale.ROOT)) {
            case "credit" -> amount;
            case "debit" -> amount.negate();
            default -> null;
        };
    }

    static BigDecimal decimal(JsonNode value) {
        try {
            return value.isNumber() ? value.decimalValue() : value.isTextual() ? new BigDecimal(value.asText().trim()) : null;
        } catch (NumberFormatException notADecimal) {
            return null;
        }
    }

    private static final DateTimeFormatter COMPACT_OFFSET = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss[.SSS]xx");

    static Instant time(JsonNode value) {
        if (!value.isTextual()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.asText()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(value.asText(), COMPACT_OFFSET).toInstant();
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }
}
