package io.cartola.khipu.model;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One transaction, as Khipu documents it (UK Open Banking {@code OBTransaction}). Field names are
 * Khipu's PascalCase; amounts are {@link BigDecimal} (from a JSON string or number, never through
 * double; written as decimal strings); date-times accept {@code -0400} and {@code -04:00} offsets.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
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

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Amount(
            // written as a decimal string, as the UK model has it: any JSON reader (DuckDB's goes through
            // double for numbers) gets the exact amount
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount,
            String currency) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Balance(String creditDebitIndicator, String type, Amount amount) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BankTransactionCode(String code, String subCode) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProprietaryBankTransactionCode(String code, String issuer) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CashAccount(String schemeName, String identification, String name, String secondaryIdentification) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Agent(String schemeName, String identification, String name, JsonNode postalAddress) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CardInstrument(String cardSchemeName, String authorisationType, String name, String identification) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CurrencyExchange(
            String sourceCurrency,
            String targetCurrency,
            String unitCurrency,
            BigDecimal exchangeRate,
            String contractIdentification,
            @JsonDeserialize(using = KhipuDateTime.class) OffsetDateTime quotationDate,
            Amount instructedAmount) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MerchantDetails(String merchantName, String merchantCategoryCode) {
    }
}
