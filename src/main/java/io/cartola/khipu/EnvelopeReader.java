package io.cartola.khipu;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.cartola.khipu.model.Envelope;
import io.cartola.khipu.model.Transaction;

/**
 * Reads the bytes Khipu sent into an {@link Envelope} and checks what the documentation promises,
 * so that a bad body is rejected with the field and the rule it breaks, before anything is stored.
 */
@ApplicationScoped
public class EnvelopeReader {

    static final int MAX_OPERATION_ID = 36;
    // UK Open Banking amounts: up to 13 integer and 5 fraction digits
    static final int MAX_INTEGER_DIGITS = 13;
    static final int MAX_FRACTION_DIGITS = 5;

    private final ObjectReader reader;
    private final ObjectReader tree;

    public EnvelopeReader(ObjectMapper mapper) {
        this.reader = mapper.readerFor(Envelope.class)
                // a field given twice is ambiguous: refuse it rather than keep one of them
                .with(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
        this.tree = mapper.reader();
    }

    public Envelope read(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidEnvelopeException("body: empty, expected a Khipu envelope (JSON object)");
        }
        Envelope envelope;
        try {
            envelope = reader.readValue(body);
        } catch (JsonMappingException e) {
            throw new InvalidEnvelopeException(describe(e));
        } catch (JsonProcessingException e) {
            throw new InvalidEnvelopeException("body: not valid JSON (" + brief(e.getOriginalMessage())
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new InvalidEnvelopeException("body: unreadable (" + brief(e.getMessage()) + ")");
        }
        if (envelope == null) {
            throw new InvalidEnvelopeException("body: null, expected a Khipu envelope (JSON object)");
        }
        validate(envelope);
        return envelope;
    }

    /** The {@code OperationId} of a body that need not be a full envelope (a 202), or null. */
    public String operationIdOf(byte[] body) {
        try {
            JsonNode id = body.length == 0 ? null : tree.readTree(body).get("OperationId");
            return id != null && id.isTextual() && id.asText().length() <= MAX_OPERATION_ID ? id.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void validate(Envelope envelope) {
        String id = envelope.operationId();
        if (id == null || id.isBlank()) {
            throw new InvalidEnvelopeException("OperationId: required");
        }
        if (id.length() > MAX_OPERATION_ID) {
            throw new InvalidEnvelopeException("OperationId: at most " + MAX_OPERATION_ID + " characters, got " + id.length());
        }
        if (!id.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/' && c != '\\')) {
            throw new InvalidEnvelopeException("OperationId: only printable ASCII without spaces or slashes");
        }
        if (!Envelope.OK.equals(envelope.status()) && !Envelope.ERROR.equals(envelope.status())) {
            throw new InvalidEnvelopeException("Status: must be OK or ERROR, got "
                    + (envelope.status() == null ? "nothing" : "'" + brief(envelope.status()) + "'"));
        }
        List<Transaction> transactions = envelope.transactions();
        for (int i = 0; i < transactions.size(); i++) {
            Transaction t = transactions.get(i);
            String at = "Data.Transaction[" + i + "]";
            if (t == null) {
                throw new InvalidEnvelopeException(at + ": must be an object, got null");
            }
            amount(at + ".Amount.Amount", t.amount() == null ? null : t.amount().amount());
            amount(at + ".ChargeAmount.Amount", t.chargeAmount() == null ? null : t.chargeAmount().amount());
            if (t.balance() != null && t.balance().amount() != null) {
                amount(at + ".Balance.Amount.Amount", t.balance().amount().amount());
            }
            if (t.currencyExchange() != null && t.currencyExchange().instructedAmount() != null) {
                amount(at + ".CurrencyExchange.InstructedAmount.Amount", t.currencyExchange().instructedAmount().amount());
            }
        }
    }

    private static void amount(String field, BigDecimal value) {
        if (value == null) {
            return;
        }
        BigDecimal plain = value.stripTrailingZeros();
        int fraction = Math.max(plain.scale(), 0);
        int integer = plain.precision() - plain.scale();
        if (fraction > MAX_FRACTION_DIGITS || integer > MAX_INTEGER_DIGITS) {
            throw new InvalidEnvelopeException(field + ": at most " + MAX_INTEGER_DIGITS + " integer and "
                    + MAX_FRACTION_DIGITS + " fraction digits");
        }
    }

    private static String describe(JsonMappingException e) {
        String path = path(e.getPath());
        if (e.getCause() instanceof JsonProcessingException syntax) {
            // a syntax or encoding error met while binding a field
            return path + ": not valid JSON (" + brief(syntax.getOriginalMessage()) + ")";
        }
        if (e instanceof InvalidFormatException f) {
            return path + ": invalid value for " + f.getTargetType().getSimpleName() + " (" + brief(f.getOriginalMessage()) + ")";
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            String expected = m.getTargetType().getSimpleName();
            if (path.equals("body")) {
                return "body: expected a Khipu envelope (JSON object)";
            }
            return path + ": wrong type, expected " + expected;
        }
        return path + ": invalid (" + brief(e.getOriginalMessage()) + ")";
    }

    static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(brief(ref.getFieldName()));
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }

    // Jackson's messages may quote what was sent: keep them short
    static String brief(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= 160 ? oneLine : oneLine.substring(0, 160) + "...";
    }
}
