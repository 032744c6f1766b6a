package io.cartola.khipu.model;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One transaction, as Khipu documents it (UK Open Banking {@code OBTransaction}). Field names are
 * Khipu's PascalCase; amounts are {@link BigDecimal} (from a JSON string or number, never through
 * double; written as decimal strings); date-times accept {@code -0400} and {@code -04:00} offsets.
 */
@RegisterForReflection(targets = { Transaction.class, Transaction.Amount.class, Transaction.Balance.class,
        Transaction.BankTransactionCode.class, Transaction.ProprietaryBankTransactionCode.class, Transaction.CashAccount.class,
        Transaction.Agent.class, Transaction.CardInstrument.class, Transaction.CurrencyExchange.class,
        Transaction.MerchantDetails.class })
@KhipuFields
public record Transaction(
        String accountId,
        String addressLine,
        Amount amount,
        Balance balance,
        BankTransactionCode bankTransactionCode,
        @JsonDeserialize(using = KhipuDateTime.class) OffsetDateTime bookingDateTime,
        CardInstrument cardInstrument,
        Amount chargeAmount,
        String creditDebitIndicator,
        CashAccount creditorAccount,
        Agent creditorAgent,
        CurrencyExchange currencyExchange,
        CashAccount debtorAccount,
        Agent debtorAgent,
        MerchantDetails merchantDetails,
        ProprietaryBankTransactionCode proprietaryBankTransactionCode,
        List<String> statementReference,
        String status,
        // an object in the UK model, an array in Khipu's: kept as sent
        JsonNode supplementaryData,
        String transactionId,
        String transactionInformation,
        String transactionMutability,
        String transactionReference,
        @JsonDeserialize(using = KhipuDateTime.class) OffsetDateTime valueDateTime) {

    @KhipuFields
    public record Amount(
            // written as a decimal string, as the UK model has it: any JSON reader (DuckDB's goes through
            // double for numbers) gets the exact amount
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount,
            String currency) {
    }

    @KhipuFields
    public record Balance(String creditDebitIndicator, String type, Amount amount) {
    }

    @KhipuFields
    public record BankTransactionCode(String code, String subCode) {
    }

    @KhipuFields
    public record ProprietaryBankTransactionCode(String code, String issuer) {
    }

    @KhipuFields
    public record CashAccount(String schemeName, String identification, String name, String secondaryIdentification) {
    }

    @KhipuFields
    public record Agent(String schemeName, String identification, String name, JsonNode postalAddress) {
    }

    @KhipuFields
    public record CardInstrument(String cardSchemeName, String authorisationType, String name, String identification) {
    }

    @KhipuFields
    public record CurrencyExchange(
            String sourceCurrency,
            String targetCurrency,
            String unitCurrency,
            BigDecimal exchangeRate,
            String contractIdentification,
            @JsonDeserialize(using = KhipuDateTime.class) OffsetDateTime quotationDate,
            Amount instructedAmount) {
    }

    @KhipuFields
    public record MerchantDetails(String merchantName, String merchantCategoryCode) {
    }
}
