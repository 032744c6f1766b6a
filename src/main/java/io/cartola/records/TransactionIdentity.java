package io.cartola.records;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The identity of each transaction of one snapshot ({@code TransactionKey}), computed from Khipu's own
 * fields as sent (raw JSON, or a stored line, which keeps Khipu's field names), never from cartola's
 * model: a field added to the model or to Khipu's answer changes no identity.
 * <ul>
 * <li>{@code id:<TransactionId>} when the transaction has a non-blank {@code TransactionId}; a repeat of
 * it within the snapshot is {@code id#<n>:<TransactionId>} (n = 2, 3, ...), kept and reported;</li>
 * <li>otherwise {@code sha256:<hash>:<n>}: SHA-256 of the canonical JSON of {@link #CONTENT_FIELDS}, with n
 * numbering identical ones in the snapshot, so two identical purchases stay two lines.</li>
 * </ul>
 */
public final class TransactionIdentity {

    /**
     * What names a transaction without an id: what it is (amount, direction, description, reference) and
     * whom it involves. Left out is what changes as a transaction posts or is refined: Status,
     * TransactionMutability, Balance (the running balance exists once booked), BookingDateTime and
     * ValueDateTime (authorisation time while pending, posting time once booked), BankTransactionCode,
     * ProprietaryBankTransactionCode, ChargeAmount, CurrencyExchange (codes, fees and rates are set at
     * posting), StatementReference (added with a statement), CreditorAgent, DebtorAgent, SupplementaryData
     * (filled in later by some banks) and AccountId (the same on every transaction of the account).
     */
    public static final List<String> CONTENT_FIELDS = List.of("Amount", "CreditDebitIndicator", "TransactionInformation",
            "TransactionReference", "CreditorAccount", "DebtorAccount", "MerchantDetails", "CardInstrument", "AddressLine");

    static final String TRANSACTION_ID = "TransactionId";

    private TransactionIdentity() {
    }

    /** The keys of a snapshot's transactions, in order, and how many carried an id another one had already. */
    public record Keys(List<String> keys, int repeatedIds) {
    }

    public static Keys of(List<? extends JsonNode> transactions) {
        List<String> keys = new ArrayList<>(transactions.size());
        Map<String, Integer> seen = new HashMap<>();
        int repeated = 0;
        for (JsonNode t : transactions) {
            String id = idOf(t);
            if (id != null) {
                int n = seen.merge("id:" + id, 1, Integer::sum);
                keys.add(n == 1 ? "id:" + id : "id#" + n + ":" + id);
                repeated += n == 1 ? 0 : 1;
            } else {
                String hash = sha256(canonical(t));
                keys.add("sha256:" + hash + ":" + seen.merge(hash, 1, Integer::sum));
            }
        }
        return new Keys(List.copyOf(keys), repeated);
    }

    /** The transaction's id, or null when it has none: absent, null, or blank. */
    static String idOf(JsonNode transaction) {
        JsonNode id = transaction.get(TRANSACTION_ID);
        return id == null || !id.isValueNode() || id.isNull() || id.asText().isBlank() ? null : id.asText();
    }

    /** The identity fields as canonical JSON: sorted keys, no nulls, no whitespace, decimal amounts in one form. */
    static String canonical(JsonNode transaction) {
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (String field : CONTENT_FIELDS.stream().sorted().toList()) {
            JsonNode value = transaction.get(field);
            if (present(value)) {
                first = appendField(out, first, field);
                write(out, field, value);
            }
        }
        return out.append('}').toString();
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull() && !value.isMissingNode() && !(value.isContainerNode() && value.isEmpty());
    }

    private static boolean appendField(StringBuilder out, boolean first, String name) {
        if (!first) {
            out.append(',');
        }
        quote(out, name);
        out.append(':');
        return false;
    }

    private static void write(StringBuilder out, String name, JsonNode value) {
        if (value.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (present(e.getValue())) {
                    sorted.put(e.getKey(), e.getValue());
                }
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                first = appendField(out, first, e.getKey());
                write(out, e.getKey(), e.getValue());
            }
            out.append('}');
        } else if (value.isArray()) {
            out.append('[');
            for (int i = 0; i < value.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(out, name, value.get(i));
            }
            out.append(']');
        } else if ("Amount".equals(name) && decimal(value) != null) {
            // "1000", 1000 and "1000.00" are one amount: Khipu's number or string, or the view's string
            quote(out, decimal(value).toPlainString());
        } else if (value.isNumber()) {
            out.append(value.decimalValue().stripTrailingZeros().toPlainString());
        } else {
            quote(out, value.asText());
        }
    }

    private static BigDecimal decimal(JsonNode value) {
        try {
            return value.isNumber() ? value.decimalValue().stripTrailingZeros()
                    : value.isTextual() ? new BigDecimal(value.asText().trim()).stripTrailingZeros() : null;
        } catch (NumberFormatException notADecimal) {
            return null;
        }
    }

    private static void quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private static String sha256(String canonical) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
