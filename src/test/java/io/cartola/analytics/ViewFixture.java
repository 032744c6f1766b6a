package io.cartola.analytics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The view the README's queries are tested on, in the view's layout
 * ({@code view/{institution}/date={day}/account={account}.jsonl}, one JSON object per line).
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

    private ViewFixture() {
    }

    /**
     * FIXTURE, written as literal lines: what the view holds after the three snapshots of
     * {@link #ACCOUNT} on {@link #DAY} (1: b-1 1,000, p-9 Pending 2,500, an ID-less transfer Pending 700,
     * r-5 4,000; 2 and 3: p-9 posted as b-9, the transfer Booked, r-5 reversed), plus a second account
     * that day and the first account's next day. When the view's merge writes this format, replace the
     * body by the merge of those snapshots (TransactionView) into {@code store}; the expectations in
     * ReadmeQueriesTest stay: 4,200 current, p-9 and r-5 removed at S2.
     */
    static void write(Path store) throws IOException {
        write(store, DAY, ACCOUNT, """
                {"AccountId":"22289","Amount":{"Amount":"1000","Currency":"CLP"},"BookingDateTime":"2026-11-24T09:10:00-03:00","CreditDebitIndicator":"Debit","Status":"Booked","TransactionId":"b-1","TransactionInformation":"Pago proveedor","AccountNumber":"000011887755","TransactionKey":"id:b-1","OperationId":"op-3","SnapshotTime":"2026-11-24T18:00:00Z","FirstSeenAt":"2026-11-24T12:00:00Z"}
                {"AccountId":"22289","Amount":{"Amount":"2500","Currency":"CLP"},"BookingDateTime":"2026-11-24T10:30:00-03:00","CreditDebitIndicator":"Debit","Status":"Pending","TransactionId":"p-9","TransactionInformation":"Compra tarjeta","AccountNumber":"000011887755","TransactionKey":"id:p-9","OperationId":"op-1","SnapshotTime":"2026-11-24T12:00:00Z","FirstSeenAt":"2026-11-24T12:00:00Z","RemovedAt":"2026-11-24T15:00:00Z"}
                {"AccountId":"22289","Amount":{"Amount":"700","Currency":"CLP"},"BookingDateTime":"2026-11-24T11:00:00-03:00","CreditDebitIndicator":"Debit","Status":"Booked","TransactionInformation":"Transferencia","AccountNumber":"000011887755","TransactionKey":"sha256:5f1c0e2a9b7d4e3f8a6c1b0d2e4f6a8c0b1d3e5f7a9c2b4d6e8f0a1c3e5b7d9f:1","OperationId":"op-3","SnapshotTime":"2026-11-24T18:00:00Z","FirstSeenAt":"2026-11-24T12:00:00Z","RemovedAt":null}
                {"AccountId":"22289","Amount":{"Amount":"4000","Currency":"CLP"},"BookingDateTime":"2026-11-24T11:45:00-03:00","CreditDebitIndicator":"Debit","Status":"Booked","TransactionId":"r-5","TransactionInformation":"Compra revertida","AccountNumber":"000011887755","TransactionKey":"id:r-5","OperationId":"op-1","SnapshotTime":"2026-11-24T12:00:00Z","FirstSeenAt":"2026-11-24T12:00:00Z","RemovedAt":"2026-11-24T15:00:00Z"}
                {"AccountId":"22289","Amount":{"Amount":"2500","Currency":"CLP"},"BookingDateTime":"2026-11-24T10:30:00-03:00","CreditDebitIndicator":"Debit","Status":"Booked","TransactionId":"b-9","TransactionInformation":"Compra tarjeta","AccountNumber":"000011887755","TransactionKey":"id:b-9","OperationId":"op-3","SnapshotTime":"2026-11-24T18:00:00Z","FirstSeenAt":"2026-11-24T15:00:00Z"}
                """);
        write(store, DAY, OTHER, """
                {"AccountId":"31337","Amount":{"Amount":"9999999999999.99999","Currency":"CLP"},"BookingDateTime":"2026-11-24T08:00:00-03:00","CreditDebitIndicator":"Credit","Status":"Booked","TransactionId":"c-1","TransactionInformation":"Máximo de Khipu","AccountNumber":"000022334455","TransactionKey":"id:c-1","OperationId":"op-7","SnapshotTime":"2026-11-24T18:00:00Z","FirstSeenAt":"2026-11-24T18:00:00Z"}
                {"AccountId":"31337","Amount":{"Amount":"0.00002","Currency":"CLP"},"BookingDateTime":"2026-11-24T08:05:00-03:00","CreditDebitIndicator":"Credit","Status":"Booked","TransactionId":"c-2","TransactionInformation":"Mínimo","AccountNumber":"000022334455","TransactionKey":"id:c-2","OperationId":"op-7","SnapshotTime":"2026-11-24T18:00:00Z","FirstSeenAt":"2026-11-24T18:00:00Z"}
                """);
        write(store, NEXT_DAY, ACCOUNT, """
                {"AccountId":"22289","Amount":{"Amount":"300","Currency":"CLP"},"BookingDateTime":"2026-11-25T09:00:00-03:00","CreditDebitIndicator":"Debit","Status":"Booked","TransactionId":"b-10","TransactionInformation":"Pago","AccountNumber":"000011887755","TransactionKey":"id:b-10","OperationId":"op-9","SnapshotTime":"2026-11-25T18:00:00Z","FirstSeenAt":"2026-11-25T18:00:00Z"}
                """);
    }

    static Path file(Path store, String day, String account) {
        return store.resolve("view/btgpactual.cl/date=" + day + "/account=" + account + ".jsonl");
    }

    private static void write(Path store, String day, String account, String lines) throws IOException {
        Path file = file(store, day, account);
        Files.createDirectories(file.getParent());
        Files.writeString(file, lines);
    }
}
