package io.cartola.ingest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Account number rules and masking: full account numbers never reach the logs or the function's output. */
public final class Accounts {

    /** Khipu's limit for {@code RequestData.AccountNumber}. */
    public static final int MAX_LENGTH = 20;
    // the account becomes part of storage keys and of the callback token: no separators allowed
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9-]+");

    private Accounts() {
    }

    /** Checks each account and drops repeats (keeping the first), or throws naming the bad entry. */
    static List<String> validate(List<String> accounts, String field, int max) {
        if (accounts == null || accounts.isEmpty()) {
            throw new InvalidInputException(field + ": no accounts given and cartola.accounts is not set");
        }
        if (accounts.size() > max) {
            throw new InvalidInputException(field + ": at most " + max + " accounts per invocation, got " + accounts.size());
        }
        for (int i = 0; i < accounts.size(); i++) {
            String account = accounts.get(i);
            String at = field + "[" + i + "]";
            if (account == null || account.isBlank()) {
                throw new InvalidInputException(at + ": account number required");
            }
            if (account.length() > MAX_LENGTH) {
                throw new InvalidInputException(at + ": at most " + MAX_LENGTH + " characters, got " + account.length());
            }
            if (!ALLOWED.matcher(account).matches()) {
                throw new InvalidInputException(at + ": only letters, digits and '-' are allowed");
            }
        }
        return new ArrayList<>(new LinkedHashSet<>(accounts));
    }

    /** {@code 000011887755} becomes {@code ****7755}. */
    public static String mask(String account) {
        if (account == null) {
            return null;
        }
        return account.length() <= 4 ? "****" : "****" + account.substring(account.length() - 4);
    }

    static String printable(String value, int max) {
        String clean = value.codePoints().filter(c -> c >= 0x20 && c != 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() <= max ? clean : clean.substring(0, max) + "...";
    }
}
