package io.cartola.analytics;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cartola.khipu.EnvelopeReader;
import io.cartola.records.AccountRequest;
import io.cartola.records.Mode;
import io.cartola.records.TransactionView;
import io.cartola.storage.FileObjectStore;
import io.cartola.testing.Envelopes;
import io.cartola.testing.Mappers;

/**
 * The view the README's queries are tested on, written by cartola's own merge
 * ({@code view/{institution}/date={day}/account={account}.jsonl}): the three sync snapshots of
 * {@link #ACCOUNT} on {@link #DAY} (1: b-1 1,000, p-9 Pending 2,500, an ID-less transfer Pending 700,
 * r-5 4,000; 2 and 3: p-9 posted as b-9, the transfer Booked, r-5 reversed), a second account that day
 * and the first account's next day.
 */
final class ViewFixture {

    static final String ACCOUNT = "000011887755";
    static final String OTHER = "000022334455";
    static final String DAY = "2026-11-24";
    static final String NEXT_DAY = "2026-11-25";
    /** The three sync snapshots of the day: requested at these times. */
    static final String S1 = "2026-11-24T12:00:00Z";
    static final String S2 = "2026-11-24T15:00:00Z";
    static final String S3 = "2026-11-24T18:00:00Z";

    static final ObjectMapper MAPPER = Mappers.quarkusLike();

    private ViewFixture() {
    }

    static String tx(String id, String amount, String indicator, String status, String booked, String information) {
        return "{\"AccountId\":\"22289\",\"Amount\":{\"Amount\":\"" + amount + "\",\"Currency\":\"CLP\"},\"BookingDateTime\":\""
                + booked + "\",\"CreditDebitIndicator\":\"" + indicator + "\",\"Status\":\"" + status + "\","
                + (id == null ? "" : "\"TransactionId\":\"" + id + "\",") + "\"TransactionInformation\":\"" + information + "\"}";
    }

    static void write(Path store) {
        TransactionView view = new TransactionView(MAPPER, new FileObjectStore(store));
        String b1 = tx("b-1", "1000", "Debit", "Booked", "2026-11-24T09:10:00-0300", "Pago proveedor");
        String b9 = tx("b-9", "2500", "Debit", "Booked", "2026-11-24T10:30:00-0300", "Compra tarjeta");
        String booked = tx(null, "700", "Debit", "Booked", "2026-11-24T11:00:00-0300", "Transferencia");
        merge(view, ACCOUNT, DAY, S1, b1, tx("p-9", "2500", "Debit", "Pending", "2026-11-24T10:30:00-0300", "Compra tarjeta"),
                booked.replace("Booked", "Pending"), tx("r-5", "4000", "Debit", "Booked", "2026-11-24T11:45:00-0300", "Compra revertida"));
        merge(view, ACCOUNT, DAY, S2, b1, b9, booked);
        merge(view, ACCOUNT, DAY, S3, b1, b9, booked);
        merge(view, OTHER, DAY, S3, tx("c-1", "9999999999999.99999", "Credit", "Booked", "2026-11-24T08:00:00-0300", "Máximo de Khipu"),
                tx("c-2", "0.00002", "Credit", "Booked", "2026-11-24T08:05:00-0300", "Mínimo"));
        merge(view, ACCOUNT, NEXT_DAY, "2026-11-25T18:00:00Z", tx("b-10", "300", "Debit", "Booked", "2026-11-25T09:00:00-0300", "Pago"));
    }

    private static void merge(TransactionView view, String account, String day, String at, String... transactions) {
        Instant when = Instant.parse(at);
        byte[] raw = Envelopes.ok("op-" + when.getEpochSecond(), transactions).getBytes(StandardCharsets.UTF_8);
        view.merge(new AccountRequest("btgpactual.cl", account, "r" + when.toEpochMilli(), when, LocalDate.parse(day), Mode.sync), raw,
                new EnvelopeReader(MAPPER).read(raw));
    }

    static Path file(Path store, String day, String account) {
        return store.resolve("view/btgpactual.cl/date=" + day + "/account=" + account + ".jsonl");
    }
}
