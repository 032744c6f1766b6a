package io.cartola.records;

import java.util.regex.Pattern;

/** Account number rules and masking: full account numbers never reach the logs or the function's output. */
public final class Accounts {

    /** Khipu's limit for {@code RequestData.AccountNumber}. */
    public static final int MAX_LENGTH = 20;
    // the account becomes part of storage keys and of the callback token: no separators allowed
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9-]+");

    private Accounts() {
    }

    /** The rule {@code account} breaks, or null if it is a valid account number. */
    public static String problem(String account) {
        if (account == null || account.isEmpty()) {
            return "account number required";
        }
        if (account.length() > MAX_LENGTH) {
            return "at most " + MAX_LENGTH + " characters, got " + account.length();
        }
        if (!ALLOWED.matcher(account).matches()) {
            return "only letters, digits and '-' are allowed";
        }
        return null;
    }

    /** {@code 000011887755} becomes {@code ****7755}. */
    public static String mask(String account) {
        if (account == null) {
            return null;
        }
        return account.length() <= 4 ? "****" : "****" + account.substring(account.length() - 4);
    }

    public static String printable(String value, int max) {
        String clean = value.codePoints().filter(c -> c >= 0x20 && c != 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() <= max ? clean : clean.substring(0, max) + "...";
    }
}
