package io.cartola.credentials;

import java.time.Clock;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cartola.config.CartolaConfig;
import io.cartola.records.AccountState;
import io.cartola.records.AccountStates;
import io.cartola.records.Accounts;

/**
 * Adds, replaces and revokes the accounts' own Khipu access tokens, and says whether an account has
 * one and whether Khipu rejected it. A token registered after a rejection is used again by the next
 * fetch; nothing needs redeploying.
 */
@ApplicationScoped
public class CredentialsService {

    private static final Logger LOG = Logger.getLogger(CredentialsService.class);
    static final int MIN_TOKEN = 16;
    static final int MAX_TOKEN = 8192;

    private final AccountTokens tokens;
    private final AccountStates states;
    private final Clock clock;
    private final String institution;

    public CredentialsService(AccountTokens tokens, AccountStates states, Clock clock, CartolaConfig config) {
        this.tokens = tokens;
        this.states = states;
        this.clock = clock;
        this.institution = config.khipu().institution();
    }

    public CredentialsAnswer handle(CredentialsRequest request) {
        if (request == null) {
            throw new InvalidCredentialsRequestException("body: expected {\"action\": \"register\"|\"revoke\"|\"status\", "
                    + "\"account\": \"...\", \"accessToken\": \"...\" (register only)}");
        }
        String action = request.action() == null ? "" : request.action().toLowerCase(Locale.ROOT);
        String problem = Accounts.problem(request.account());
        if (problem != null) {
            throw new InvalidCredentialsRequestException("account: " + problem);
        }
        String account = request.account();
        String masked = Accounts.mask(account);
        switch (action) {
            case "register" -> {
                AccountToken token = tokens.register(account, checked(request.accessToken()), clock.instant());
                LOG.infof("credentials account=%s: access token registered", masked);
                return new CredentialsAnswer(masked, action, true, token.registeredAt(), null,
                        "registered; the next fetch of this account uses it");
            }
            case "revoke" -> {
                noToken(request, action);
                boolean had = tokens.revoke(account);
                LOG.infof("credentials account=%s: access token %s", masked, had ? "revoked" : "revoke asked, there was none");
                return new CredentialsAnswer(masked, action, false, null, null, had
                        ? "revoked and deleted; this account now uses the deployment's credential"
                        : "this account had no access token of its own; nothing changed");
            }
            case "status" -> {
                noToken(request, action);
                return tokens.find(account).map(token -> {
                    AccountState state = states.read(institution, account);
                    boolean rejected = state.awaitsNewToken(token.registeredAt());
                    return new CredentialsAnswer(masked, action, true, token.registeredAt(),
                            rejected ? state.tokenRejectedAt() : null, rejected
                                    ? "Khipu rejected this token (HTTP 401); fetch skips the account until a new one is registered"
                                    : "has its own access token");
                }).orElseGet(() -> new CredentialsAnswer(masked, action, false, null, null,
                        "no access token of its own; uses the deployment's credential"));
            }
            // what came is not repeated: a token put in the wrong field would be echoed
            default -> throw new InvalidCredentialsRequestException("action: must be register, revoke or status, got "
                    + (request.action() == null ? "nothing" : "something else (not repeated here)"));
        }
    }

    /** The token as given, or the rule it breaks; the message never quotes it. */
    static String checked(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidCredentialsRequestException("accessToken: required for register");
        }
        String t = token.strip();
        if (t.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new InvalidCredentialsRequestException("accessToken: give the token itself, without the 'Bearer ' prefix");
        }
        if (t.length() < MIN_TOKEN || t.length() > MAX_TOKEN) {
            throw new InvalidCredentialsRequestException("accessToken: between " + MIN_TOKEN + " and " + MAX_TOKEN
                    + " characters, got " + t.length());
        }
        if (!t.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidCredentialsRequestException("accessToken: only visible ASCII characters, no spaces "
                    + "(a JWT or Khipu's AccessToken as /public/token/exchange returned it)");
        }
        return t;
    }

    private static void noToken(CredentialsRequest request, String action) {
        if (request.accessToken() != null) {
            throw new InvalidCredentialsRequestException("accessToken: only for register, not for " + action);
        }
    }
}
