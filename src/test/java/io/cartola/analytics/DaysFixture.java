package io.cartola.analytics;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cartola.days.DayRecords;
import io.cartola.khipu.EnvelopeReader;
import io.cartola.records.AccountRequest;
import io.cartola.records.Mode;
import io.cartola.records.OperationLog;
import io.cartola.records.TransactionView;
import io.cartola.storage.FileObjectStore;
import io.cartola.testing.Envelopes;
import io.cartola.testing.Mappers;

/**
 * Day records written by cartola's live path (raw, view, day) for three accounts of one day this month: one closed
 * and balanced, one not closed, one closed with a gap (its balances skip a 15,000 debit).
 */
final class DaysFixture {

    static final String BALANCED = "000033000001";
    static final String OPEN = "000033000002";
    static final String GAP = "000033000003";
    static final ZoneId SANTIAGO = ZoneId.of("America/Santiago");
    /** Trino's current_date is UTC's: the day is this month there. */
    static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC);

    private DaysFixture() {
    }

    static void write(Path store) {
        ObjectMapper mapper = Mappers.quarkusLike();
        FileObjectStore files = new FileObjectStore(store);
        TransactionView view = new TransactionView(mapper, files);
        OperationLog log = new OperationLog(files, view, mapper, Clock.systemUTC(),
                new DayRecords(files, view, mapper, SANTIAGO, LocalTime.of(23, 0), Clock.systemUTC()));
        String t = DAY + "T10:00:00-0300";
        String[] chain = { Envelopes.booked("c1", "Credit", "1000", t, "11000"), Envelopes.booked("c2", "Debit", "500", t.replace("10:", "11:"), "10500") };
        store(log, mapper, BALANCED, "12:00", chain);
        store(log, mapper, BALANCED, "23:30", chain);
        store(log, mapper, OPEN, "12:00", chain);
        // 11,000 after g1, then -4,500 after a 500 debit: 15,000 went out that no transaction explains
        store(log, mapper, GAP, "23:30", Envelopes.booked("g1", "Credit", "1000", t, "11000"),
                Envelopes.booked("g2", "Debit", "500", t.replace("10:", "11:"), "-4500"));
    }

    private static void store(OperationLog log, ObjectMapper mapper, String account, String at, String... transactions) {
        var when = DAY.atTime(LocalTime.parse(at)).atZone(SANTIAGO).toInstant();
        byte[] raw = Envelopes.ok("op-" + account + "-" + at.replace(":", ""), transactions).getBytes(StandardCharsets.UTF_8);
        log.store(new AccountRequest("btgpactual.cl", account, "r" + when.toEpochMilli(), when, DAY, Mode.sync), raw,
                new EnvelopeReader(mapper).read(raw), null);
    }
}
