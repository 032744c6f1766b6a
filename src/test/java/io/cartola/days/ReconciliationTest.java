package io.cartola.days;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The reconciliation of one day's current lines against the bank's running balances. */
class ReconciliationTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** A current line: key, Booked or Pending, Credit or Debit, amount, booking time (hh:mm), balance (null: none), its type. */
    static ObjectNode line(String key, String status, String direction, String amount, String at, String balance, String type) {
        ObjectNode l = MAPPER.createObjectNode();
        l.put("TransactionKey", key).put("Status", status).put("CreditDebitIndicator", direction);
        l.putObject("Amount").put("Amount", amount).put("Currency", "CLP");
        l.put("BookingDateTime", "2026-11-24T" + at + ":00-03:00");
        l.put("ValueDateTime", "2026-11-24T" + at + ":00-03:00");
        if (balance != null) {
            boolean overdrawn = balance.startsWith("-");
            ObjectNode b = l.putObject("Balance").put("CreditDebitIndicator", overdrawn ? "Debit" : "Credit").put("Type", type);
            b.putObject("Amount").put("Amount", overdrawn ? balance.substring(1) : balance).put("Currency", "CLP");
        }
        l.putNull("RemovedAt");
        return l;
    }

    static ObjectNode booked(String key, String direction, String amount, String at, String balance) {
        return line(key, "Booked", direction, amount, at, balance, "InterimBooked");
    }

    static Reconciliation.Result of(ObjectNode... lines) {
        return Reconciliation.of(List.of(lines));
    }

    @Test
    void aChainThatHoldsIsBalancedWithItsOpeningAndClosing() {
        Reconciliation.Result r = of(
                booked("id:a", "Credit", "1000", "09:00", "11000"),
                booked("id:b", "Debit", "250.50", "10:00", "10749.50"),
                line("id:p", "Pending", "Debit", "9999", "10:30", "777", "InterimAvailable"),
                booked("id:c", "Credit", "0.50", "11:00", "10750"));
        assertEquals(Reconciliation.Status.balanced, r.status());
        assertEquals(new BigDecimal("10000"), r.opening(), "first balance minus its signed amount");
        assertEquals(0, new BigDecimal("10750").compareTo(r.closing()));
        assertNull(r.gapAmount());
        assertEquals(2, r.checks(), "the pending line is outside the chain");
    }

    @Test
    void aMissingDebitInTheMiddleIsAGapWithItsAmountAndPlace() {
        Reconciliation.Result r = of(
                booked("id:a", "Credit", "1000", "09:00", "11000"),
                // a debit of 5000 booked here never reached cartola
                booked("id:c", "Debit", "300", "12:00", "5700"),
                booked("id:d", "Credit", "300", "13:00", "6000"));
        assertEquals(Reconciliation.Status.gap, r.status());
        assertEquals(new BigDecimal("-5000"), r.gapAmount(), "what the balances moved that the lines do not explain");
        assertEquals(List.of(new Reconciliation.Gap("id:a", "id:c", "-5000")), r.gaps());
        assertEquals(new BigDecimal("10000"), r.opening());
        assertEquals(new BigDecimal("6000"), r.closing());
    }

    @Test
    void aGapFilledByALaterSnapshotIsBalanced() {
        ObjectNode a = booked("id:a", "Credit", "1000", "09:00", "11000");
        ObjectNode c = booked("id:c", "Debit", "300", "12:00", "5700");
        assertEquals(Reconciliation.Status.gap, of(a, c).status());
        // the missing debit shows up (appended to the view: it was first seen later) with its own balance
        assertEquals(Reconciliation.Status.balanced, of(a, c, booked("id:b", "Debit", "5000", "11:00", "6000")).status());
    }

    @Test
    void tiedLinesHoldUnderAnyOrderThatKeepsTheChain() {
        // three lines booked at the same minute, listed in an order the bank did not apply them in
        Reconciliation.Result r = of(
                booked("id:a", "Credit", "1000", "09:00", "11000"),
                booked("id:t3", "Debit", "30", "10:00", "10940"),
                booked("id:t1", "Debit", "10", "10:00", "10990"),
                booked("id:t2", "Debit", "20", "10:00", "10970"));
        assertEquals(Reconciliation.Status.balanced, r.status());
        assertEquals(new BigDecimal("10940"), r.closing());
        // the same order with distinct times does not hold: the tie is what allows reordering
        Reconciliation.Result strict = of(
                booked("id:a", "Credit", "1000", "09:00", "11000"),
                booked("id:t3", "Debit", "30", "10:00", "10940"),
                booked("id:t1", "Debit", "10", "10:01", "10990"),
                booked("id:t2", "Debit", "20", "10:02", "10970"));
        assertEquals(Reconciliation.Status.gap, strict.status());
    }

    @Test
    void tiesAtTheStartOfTheDayFindTheOrderAndItsOpening() {
        Reconciliation.Result r = of(
                booked("id:y", "Debit", "50", "09:00", "1050"),
                booked("id:x", "Credit", "100", "09:00", "1100"));
        assertEquals(Reconciliation.Status.balanced, r.status());
        assertEquals(new BigDecimal("1000"), r.opening());
        assertEquals(new BigDecimal("1050"), r.closing());
    }

    @Test
    void tiesThatNoOrderReconcilesAreAGap() {
        Reconciliation.Result r = of(
                booked("id:a", "Credit", "1000", "09:00", "11000"),
                booked("id:t1", "Debit", "10", "10:00", "10990"),
                booked("id:t2", "Debit", "20", "10:00", "10900"));
        assertEquals(Reconciliation.Status.gap, r.status());
        assertEquals(new BigDecimal("-70"), r.gapAmount());
    }

    @Test
    void noBalancesOrTooFewAreUnknownNeverAGap() {
        assertEquals(Reconciliation.Status.unknown, of().status());
        assertEquals(Reconciliation.Status.unknown, of(booked("id:a", "Credit", "1000", "09:00", null),
                booked("id:b", "Debit", "10", "10:00", null)).status());
        Reconciliation.Result one = of(booked("id:a", "Credit", "1000", "09:00", "11000"),
                booked("id:b", "Debit", "10", "10:00", null));
        assertEquals(Reconciliation.Status.unknown, one.status(), "one balance: nothing to check against");
        assertEquals(new BigDecimal("10000"), one.opening());
        assertEquals(new BigDecimal("10990"), one.closing(), "the balance plus what was booked after it");
        assertNull(one.gapAmount());
    }

    @Test
    void onlyBookedBalancesCount() {
        // available balances move with holds: a chain of them that does not add up is no gap
        Reconciliation.Result r = of(
                line("id:a", "Booked", "Credit", "1000", "09:00", "11000", "InterimAvailable"),
                line("id:b", "Booked", "Debit", "10", "10:00", "5", "InterimAvailable"));
        assertEquals(Reconciliation.Status.unknown, r.status());
        Reconciliation.Result closing = of(booked("id:a", "Credit", "1000", "09:00", "11000"),
                line("id:b", "Booked", "Debit", "10", "23:00", "10990", "ClosingBooked"));
        assertEquals(Reconciliation.Status.balanced, closing.status());
    }

    @Test
    void anOverdrawnBalanceIsNegativeAndLinesWithoutBalanceStillMoveIt() {
        Reconciliation.Result r = of(
                booked("id:a", "Debit", "500", "09:00", "-200"),
                booked("id:b", "Debit", "100", "10:00", null),
                booked("id:c", "Credit", "1000", "11:00", "700"));
        assertEquals(Reconciliation.Status.balanced, r.status());
        assertEquals(new BigDecimal("300"), r.opening());
    }

    @Test
    void removedLinesAreNotTheDay() {
        ObjectNode reversed = booked("id:r", "Debit", "400", "10:00", "10600");
        reversed.put("RemovedAt", "2026-11-24T15:00:00Z");
        assertEquals(Reconciliation.Status.balanced, of(booked("id:a", "Credit", "1000", "09:00", "11000"), reversed,
                booked("id:b", "Debit", "1000", "11:00", "10000")).status());
    }

    @Test
    void theSearchIsBounded() {
        // twelve tied lines without balance and one whose balance no order explains: 13! orders to try; the
        // search stops after its steps and view order is taken
        List<ObjectNode> lines = new ArrayList<>();
        lines.add(booked("id:a", "Credit", "1000", "09:00", "11000"));
        for (int i = 0; i < 12; i++) {
            lines.add(booked("id:t" + i, "Debit", "1", "10:00", null));
        }
        lines.add(booked("id:z", "Debit", "1", "10:00", "5"));
        long start = System.nanoTime();
        Reconciliation.Result r = Reconciliation.of(lines);
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "bounded");
        assertEquals(new BigDecimal("-10982"), r.gapAmount(), "5 - (11000 - 13)");
        assertEquals(Reconciliation.Status.gap, r.status());
        assertEquals("id:a", r.gaps().get(0).after());
    }

    @Test
    void overnight() {
        assertNull(Reconciliation.overnight(new BigDecimal("100"), new BigDecimal("100.00")));
        assertNull(Reconciliation.overnight(null, new BigDecimal("100")));
        assertEquals(new BigDecimal("-40"), Reconciliation.overnight(new BigDecimal("100"), new BigDecimal("60")));
    }
}
