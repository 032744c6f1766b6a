package io.cartola.testing;

/** Khipu envelopes and transactions as JSON text, shaped like the documentation's examples. */
public final class Envelopes {

    private Envelopes() {
    }

    public static String ok(String operationId, String... transactions) {
        return "{\"OperationId\":\"" + operationId + "\",\"Status\":\"OK\",\"Data\":{\"Transaction\":["
                + String.join(",", transactions) + "]},\"AdditionalInformation\":null,\"Error\":null,\"LifeSpan\":null}";
    }

    public static String error(String operationId, String code, String type, String description) {
        return "{\"OperationId\":\"" + operationId + "\",\"Status\":\"ERROR\",\"Data\":null,\"AdditionalInformation\":null,"
                + "\"Error\":{\"Code\":\"" + code + "\",\"Type\":\"" + type + "\",\"Description\":\"" + description
                + "\"},\"LifeSpan\":null}";
    }

    /**
     * A transaction like Khipu's example; {@code amount} is inserted as given (a JSON string or number). Its
     * balance is the example's amount on every transaction, so it is given as an available balance (outside the
     * reconciled chain): tests of other things see no balance gap. {@link #booked} makes running balances.
     */
    public static String transaction(String id, String amount, String information) {
        return """
                {"AccountId":"22289","AddressLine":"Av. Apoquindo 3000, Las Condes","Amount":{"Amount":%s,"Currency":"CLP"},\
                "Balance":{"CreditDebitIndicator":"Credit","Type":"InterimAvailable","Amount":{"Amount":"1500000.00","Currency":"CLP"}},\
                "BankTransactionCode":{"Code":"ReceivedCreditTransfer","SubCode":"DomesticCreditTransfer"},\
                "BookingDateTime":"2017-07-22T00:00:00-0400","CardInstrument":null,"ChargeAmount":{"Amount":"0","Currency":"CLP"},\
                "CreditDebitIndicator":"Credit","CreditorAccount":{"SchemeName":"CL.RUT","Identification":"11111111-1",\
                "Name":"Juan Perez","SecondaryIdentification":null},"CreditorAgent":null,"CurrencyExchange":null,\
                "DebtorAccount":{"SchemeName":"CL.RUT","Identification":"22222222-2","Name":"ACME SpA","SecondaryIdentification":null},\
                "DebtorAgent":{"SchemeName":"BICFI","Identification":"BTGPCLRM","Name":"Banco BTG Pactual","PostalAddress":null},\
                "MerchantDetails":{"MerchantName":"ACME","MerchantCategoryCode":"5411"},\
                "ProprietaryBankTransactionCode":{"Code":"TEF","Issuer":"BTG"},"StatementReference":["REF-1"],\
                "Status":"Booked","SupplementaryData":[],"TransactionId":"%s","TransactionInformation":"%s",\
                "TransactionMutability":"Immutable","TransactionReference":"TR-%s","ValueDateTime":"2017-07-22T10:15:30-0400"}"""
                .formatted(amount, id, information, id);
    }

    /**
     * A booked transaction with the bank's running balance after it ({@code InterimBooked}; a balance starting
     * with {@code -} is overdrawn: {@code Debit}); {@code bookedAt} is a date-time with offset.
     */
    public static String booked(String id, String direction, String amount, String bookedAt, String balance) {
        boolean overdrawn = balance.startsWith("-");
        return """
                {"AccountId":"22289","Amount":{"Amount":"%s","Currency":"CLP"},\
                "Balance":{"CreditDebitIndicator":"%s","Type":"InterimBooked","Amount":{"Amount":"%s","Currency":"CLP"}},\
                "BookingDateTime":"%s","CreditDebitIndicator":"%s","Status":"Booked","TransactionId":"%s",\
                "TransactionInformation":"%s %s","ValueDateTime":"%s"}"""
                .formatted(amount, overdrawn ? "Debit" : "Credit", overdrawn ? balance.substring(1) : balance, bookedAt, direction,
                        id, direction, amount, bookedAt);
    }

    /** A transaction without a TransactionId, as some banks send them. */
    public static String withoutId(String amount, String information) {
        return transaction("x", amount, information).replace("\"TransactionId\":\"x\",", "");
    }

    public static String[] transactions(int count, String prefix) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> transaction(prefix + i, "\"" + (1000 + i) + ".50\"", "payment " + i))
                .toArray(String[]::new);
    }
}
