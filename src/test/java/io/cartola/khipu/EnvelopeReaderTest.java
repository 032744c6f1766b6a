package io.cartola.khipu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.cartola.khipu.model.Envelope;
import io.cartola.khipu.model.Transaction;
import io.cartola.testing.Envelopes;
import io.cartola.testing.Mappers;

/** Money and date parsing, tolerance and the errors a bad envelope gets. */
class EnvelopeReaderTest {

    final EnvelopeReader reader = new EnvelopeReader(Mappers.quarkusLike());

    Transaction only(String transactionJson) {
        Envelope envelope = reader.read(Envelopes.ok("op", transactionJson).getBytes(StandardCharsets.UTF_8));
        assertEquals(1, envelope.transactions().size());
        return envelope.transactions().get(0);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "\"1234.50\"            | 1234.50",
            "1234.50                | 1234.50",
            "\"0\"                  | 0",
            "990                    | 990",
            "\"-15000\"             | -15000",
            "9999999999999.99999    | 9999999999999.99999",
            "\"0.10000\"            | 0.10000",
            "0.1                    | 0.1" })
    void amountsAreExactDecimalsFromStringsOrNumbers(String json, String expected) {
        BigDecimal amount = only(Envelopes.transaction("a", json.trim(), "x")).amount().amount();
        // compared as text: 0.1 read through a double would not come back as 0.1 with scale 1
        assertEquals(expected.trim(), amount.toPlainString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "2017-07-22T00:00:00-0400      | 2017-07-22T00:00-04:00",
            "2017-07-22T00:00:00-04:00     | 2017-07-22T00:00-04:00",
            "2026-01-15T23:59:59-0300      | 2026-01-15T23:59:59-03:00",
            "2026-11-24T12:00:00Z          | 2026-11-24T12:00Z",
            "2026-11-24T12:00:00.123-0300  | 2026-11-24T12:00:00.123-03:00",
            "2026-11-24T12:00-0300         | 2026-11-24T12:00-03:00",
            "2026-07-01T10:00:00           | 2026-07-01T10:00-04:00",
            "2026-12-01T10:00:00           | 2026-12-01T10:00-03:00" })
    void dateTimesAcceptKhipuOffsetsAndChileanLocalTime(String text, String expected) {
        String tx = Envelopes.transaction("d", "1", "x").replace("2017-07-22T00:00:00-0400", text.trim());
        assertEquals(OffsetDateTime.parse(expected.trim()), only(tx).bookingDateTime());
    }

    @Test
    void unknownFieldsAreIgnoredAndNullsTolerated() {
        Envelope envelope = reader.read("""
                {"OperationId":"op-1","Status":"OK","NewField":{"a":1},
                 "Data":{"Transaction":[{"TransactionId":"t","Amount":null,"BookingDateTime":null,"Extra":[1,2],
                 "StatementReference":"single","CreditorAccount":{"Identification":"1","Unknown":true}}],"More":1},
                 "AdditionalInformation":"Data incompleta","Error":null,"LifeSpan":{"Seconds":60}}
                """.getBytes(StandardCharsets.UTF_8));
        Transaction t = envelope.transactions().get(0);
        assertNull(t.amount());
        assertNull(t.bookingDateTime());
        assertEquals(java.util.List.of("single"), t.statementReference());
        assertEquals("1", t.creditorAccount().identification());
        assertEquals("Data incompleta", envelope.additionalInformation());
        assertEquals(60, envelope.lifeSpan().get("Seconds").asInt());
    }

    @Test
    void anOkEnvelopeWithoutDataHasNoTransactions() {
        Envelope envelope = reader.read("{\"OperationId\":\"op\",\"Status\":\"OK\",\"Data\":null}".getBytes(StandardCharsets.UTF_8));
        assertTrue(envelope.ok());
        assertTrue(envelope.transactions().isEmpty());
    }

    @Test
    void anErrorEnvelopeCarriesCodeTypeAndDescription() {
        Envelope envelope = reader.read(Envelopes.error("op", "E201", "WAIT_4_HOURS_BEFORE_RETRY", "Banco caído")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("ERROR", envelope.status());
        assertEquals("E201", envelope.error().code());
        assertEquals("Banco caído", envelope.error().description());
    }

    @Test
    void theWholeDocumentedTransactionIsRead() {
        Transaction t = only(Envelopes.transaction("tx-9", "\"1500.25\"", "TEF recibida"));
        assertEquals("tx-9", t.transactionId());
        assertEquals("CLP", t.amount().currency());
        assertEquals(new BigDecimal("1500000.00"), t.balance().amount().amount());
        assertEquals("ReceivedCreditTransfer", t.bankTransactionCode().code());
        assertEquals("22222222-2", t.debtorAccount().identification());
        assertEquals("BTGPCLRM", t.debtorAgent().identification());
        assertEquals("5411", t.merchantDetails().merchantCategoryCode());
        assertEquals("BTG", t.proprietaryBankTransactionCode().issuer());
        assertEquals(OffsetDateTime.of(2017, 7, 22, 10, 15, 30, 0, ZoneOffset.ofHours(-4)), t.valueDateTime());
        assertEquals("Immutable", t.transactionMutability());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "\"12,50\"             | Data.Transaction[0].Amount.Amount",
            "\"abc\"               | Data.Transaction[0].Amount.Amount",
            "true                  | Data.Transaction[0].Amount.Amount",
            "\"1.123456\"          | Data.Transaction[0].Amount.Amount: at most 13 integer and 5 fraction digits",
            "12345678901234        | Data.Transaction[0].Amount.Amount: at most 13 integer and 5 fraction digits" })
    void badAmountsAreRejectedNamingTheField(String json, String message) {
        InvalidEnvelopeException e = assertThrows(InvalidEnvelopeException.class,
                () -> only(Envelopes.transaction("a", json.trim(), "x")));
        assertTrue(e.getMessage().startsWith(message.trim()), e.getMessage());
    }

    @Test
    void invalidUtf8AndDeepNestingAreRejected() {
        byte[] invalid = "{\"OperationId\":\"op\u00ff\",\"Status\":\"OK\"}".getBytes(StandardCharsets.ISO_8859_1);
        String m = assertThrows(InvalidEnvelopeException.class, () -> reader.read(invalid)).getMessage();
        assertTrue(m.contains("not valid JSON") && m.contains("UTF-8"), m);
        String deep = "{\"OperationId\":\"op\",\"Status\":\"OK\",\"LifeSpan\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertTrue(assertThrows(InvalidEnvelopeException.class, () -> reader.read(deep.getBytes(StandardCharsets.UTF_8)))
                .getMessage().contains("nesting depth"));
    }

    @Test
    void aFieldGivenTwiceIsRejectedNamingIt() {
        String twice = Envelopes.ok("op", Envelopes.transaction("a", "1", "x"))
                .replace("\"Type\":\"InterimAvailable\"", "\"Type\":\"InterimAvailable\",\"CreditDebitIndicator\":\"Debit\"");
        String message = assertThrows(InvalidEnvelopeException.class, () -> reader.read(twice.getBytes(StandardCharsets.UTF_8))).getMessage();
        assertTrue(message.contains("Duplicate field 'CreditDebitIndicator'") && message.contains("Balance"), message);
    }

    @Test
    void trailingContentIsRejected() {
        assertThrows(InvalidEnvelopeException.class,
                () -> reader.read("{\"OperationId\":\"op\",\"Status\":\"OK\"} {}".getBytes(StandardCharsets.UTF_8)));
    }
}
