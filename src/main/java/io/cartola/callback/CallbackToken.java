package io.cartola.callback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.cartola.config.CartolaConfig;
import io.cartola.records.Accounts;

/**
 * The token fetch appends to the CallbackUrl, because Khipu does not sign its callbacks:
 * {@code <request id>.<issued epoch milliseconds>.<account, encrypted>.<HMAC-SHA256 of the first three>}, all
 * URL-safe. The account travels encrypted (AES-CTR under a key derived from the secret, the random request
 * id as the counter block; encrypt-then-MAC), so the webhook knows where to store the answer without
 * reading anything first, and no account number is readable in the URL. The webhook recomputes the HMAC in
 * constant time and enforces an age limit; the request id makes each token single-use (see
 * {@link CallbackService}).
 */
@ApplicationScoped
public class CallbackToken {

    static final String ALGORITHM = "HmacSHA256";
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Pattern SHAPE = Pattern.compile(
            "[A-Za-z0-9_-]{22}\\.[0-9]{1,15}\\.[A-Za-z0-9_-]{2,40}\\.[A-Za-z0-9_-]{43}");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    // per instance, created at run time: a SecureRandom in the native image heap would replay its seed
    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;
    private final SecretKeySpec accountKey;
    private final Duration maxAge;
    private final Clock clock;

    @Inject
    public CallbackToken(CartolaConfig config, Clock clock) {
        this(config.callback().secret().orElse(""), config.callback().maxAge(), clock);
    }

    public CallbackToken(String secret, Duration maxAge, Clock clock) {
        // an empty key is refused by the JDK; ConfigCheck has already reported a missing secret
        this.key = secret.isEmpty() ? null : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        // a key of its own for encryption, derived from the secret: one secret to configure, two keys in use
        this.accountKey = key == null ? null : new SecretKeySpec(mac("cartola callback account encryption"), "AES");
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** What a valid token vouches for. */
    public record Claims(String requestId, Instant issuedAt, String account) {
        @Override
        public String toString() {
            return "Claims[requestId=" + requestId + ", issuedAt=" + issuedAt + ", account=" + Accounts.mask(account) + "]";
        }
    }

    /** 16 random bytes, URL-safe: a request id. */
    public String newRequestId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    public String issue(String requestId, String account, Instant issuedAt) {
        String payload = requestId + "." + issuedAt.toEpochMilli() + "."
                + B64.encodeToString(crypt(Cipher.ENCRYPT_MODE, requestId, account.getBytes(StandardCharsets.UTF_8)));
        return payload + "." + B64.encodeToString(mac(payload));
    }

    /** Returns the claims of a genuine, unexpired token; otherwise throws with the reason. */
    public Claims verify(String token) {
        if (token == null || token.isEmpty()) {
            throw new CallbackRejectedException(401, "callback token missing (query parameter t)");
        }
        if (token.length() > 200 || !SHAPE.matcher(token).matches()) {
            throw new CallbackRejectedException(401, "callback token malformed");
        }
        int lastDot = token.lastIndexOf('.');
        String payload = token.substring(0, lastDot);
        byte[] given = token.substring(lastDot + 1).getBytes(StandardCharsets.US_ASCII);
        byte[] expected = B64.encode(mac(payload));
        if (!MessageDigest.isEqual(expected, given)) {
            throw new CallbackRejectedException(401, "callback token signature invalid");
        }
        String[] parts = payload.split("\\.");
        Instant issuedAt = Instant.ofEpochMilli(Long.parseLong(parts[1]));
        Instant now = clock.instant();
        if (issuedAt.isAfter(now.plus(CLOCK_SKEW))) {
            throw new CallbackRejectedException(401, "callback token issued in the future");
        }
        if (issuedAt.plus(maxAge).isBefore(now)) {
            throw new CallbackRejectedException(401, "callback token expired (older than " + maxAge + ")");
        }
        String account = new String(crypt(Cipher.DECRYPT_MODE, parts[0], B64D.decode(parts[2])), StandardCharsets.UTF_8);
        if (Accounts.problem(account) != null) {
            // only a token made with our key gets here: a bug, not an attack; still refused
            throw new CallbackRejectedException(401, "callback token malformed");
        }
        return new Claims(parts[0], issuedAt, account);
    }

    private byte[] crypt(int mode, String requestId, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(mode, accountKey(), new IvParameterSpec(B64D.decode(requestId)));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private SecretKeySpec accountKey() {
        if (accountKey == null) {
            throw new IllegalStateException("cartola.callback.secret is not set");
        }
        return accountKey;
    }

    private byte[] mac(String payload) {
        if (key == null) {
            throw new IllegalStateException("cartola.callback.secret is not set");
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
